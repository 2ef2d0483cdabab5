// RoleSync operator console: one page over the operator API (docs/console.md). Every value from the API is put in
// the page as text (textContent / text nodes), never as HTML: a dead letter's fields are attacker-controlled.
'use strict';
(() => {
  const pages = {
    overview: ['Overview', renderOverview],
    'dead-letters': ['Dead letters', renderDeadLetters],
    membership: ['Membership', renderMembership],
    holds: ['Holds', renderHolds],
  };
  let canOperate = false;
  let membershipQuery = { organizationId: '', by: 'userId', value: '' };

  // ---- DOM helpers: attributes by setAttribute, content as text nodes.
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value !== null && value !== undefined && value !== false) node.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  const text = (value) => (value === null || value === undefined || value === '' ? '—' : String(value));

  function button(label, action, attrs) {
    const b = el('button', Object.assign({ type: 'button' }, attrs), label);
    b.addEventListener('click', async () => {
      b.disabled = true;
      try { await action(); } finally { b.disabled = false; }
    });
    return b;
  }

  // A definition list of the given [label, value] pairs (values as text, or nodes).
  const facts = (pairs, attrs) => el('dl', attrs, pairs.map(([label, value]) => [el('dt', {}, label), el('dd', {}, value instanceof Node ? value : text(value))]));

  // Every scalar (and list of scalars) member of an API answer, e.g. a replay report or a hold decision.
  const answerFacts = (answer) => facts(Object.entries(answer || {})
    .filter(([, v]) => v === null || typeof v !== 'object' || (Array.isArray(v) && v.every((x) => typeof x !== 'object')))
    .map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]));

  function table(caption, headers, rows, numeric) {
    return el('div', { class: 'scroll' }, el('table', {},
      el('caption', {}, caption),
      el('thead', {}, el('tr', {}, headers.map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, rows.map((row) => el('tr', {}, row.map((cell, i) =>
        i === 0 ? el('th', { scope: 'row' }, cell) : el('td', numeric ? { class: 'num' } : {}, cell instanceof Node ? cell : text(cell))))))));
  }

  // ---- The API: same-origin calls with the signed-in session (the Easy Auth cookie).
  async function api(method, path, body) {
    const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (e) {
      return { ok: false, status: 0, data: { title: 'The API could not be reached', detail: String(e && e.message ? e.message : e) } };
    }
    const type = response.headers.get('Content-Type') || '';
    const data = type.includes('json') ? await response.json().catch(() => null) : null;
    if (response.status === 401) document.getElementById('signin').hidden = false;
    return { ok: response.ok, status: response.status, data };
  }

  // A problem+json answer (or any failure) as an alert: status, title, detail, errors.
  function problem(result) {
    const p = result.data || {};
    return el('div', { class: 'problem', role: 'alert' },
      el('strong', {}, `${result.status || ''} ${p.title || 'Request failed'}`.trim()),
      p.detail ? el('p', {}, p.detail) : null,
      Array.isArray(p.errors) && p.errors.length ? el('ul', {}, p.errors.map((e) => el('li', {}, e))) : null);
  }

  // Shows result (a node) in out, replacing what was there; out is a polite live region.
  function show(out, ...nodes) { out.replaceChildren(...nodes.flat(Infinity).filter((n) => n !== null && n !== undefined && n !== false)); }
  const region = (attrs) => el('div', Object.assign({ 'aria-live': 'polite' }, attrs));
  const enc = encodeURIComponent;

  // ---- Overview
  async function renderOverview(root) {
    const r = await api('GET', '/api/overview');
    if (!r.ok) return root.appendChild(problem(r));
    const o = r.data;
    const fields = ['processed', 'applied', 'stale', 'duplicate', 'rejected', 'retriesExhausted', 'deadLettered', 'retried', 'held', 'repaired'];
    const windows = o.windows || [];
    root.appendChild(el('p', { class: 'muted' }, `RoleSync ${text(o.version)}, counted at ${text(o.generatedAt)} from ${text(o.historyScanned)} history entries${o.historyTruncated ? ' (more were not read)' : ''}.`));
    if (windows.length) root.appendChild(table('Messages by outcome', ['Outcome', ...windows.map((w) => w.name)], fields.map((f) => [f, ...windows.map((w) => w[f])]), true));
    const q = o.quarantine;
    const b = o.clerkBudget;
    root.appendChild(el('div', { class: 'cards' },
      el('section', { class: 'card', id: 'overview-quarantine' }, el('h3', {}, 'Quarantine'),
        q ? facts([['State', !q.enabled ? 'disabled' : q.active ? 'ACTIVE: Clerk calls are paused' : 'not active'], ['Since', q.since], ['Trigger', q.trigger], ['Detail', q.detail], ['Next probe', q.nextProbeAt]]) : el('p', {}, 'unavailable')),
      el('section', { class: 'card', id: 'overview-holds' }, el('h3', {}, 'Holds'),
        o.holds ? facts([['Organizations', o.holds.organizations], ['Held changes', o.holds.changes]]) : el('p', {}, 'unavailable')),
      el('section', { class: 'card', id: 'overview-dead-letters' }, el('h3', {}, 'Dead letters'),
        o.deadLetters ? facts([['Count', `${o.deadLetters.count}${o.deadLetters.truncated ? ' or more' : ''}`]]) : el('p', {}, 'unavailable')),
      el('section', { class: 'card', id: 'overview-budget' }, el('h3', {}, 'Clerk budget'),
        b ? facts([['Per 10 s (deployment)', b.requestsPer10Seconds], ['Instances at most', b.maxInstances], ['Per host per 10 s', b.perHostPer10Seconds], ['This host now', b.currentPerHostPer10Seconds]]) : el('p', {}, 'unavailable'))));
    if (Array.isArray(o.errors) && o.errors.length) root.appendChild(el('div', { class: 'problem', role: 'alert' }, el('strong', {}, 'Some sources failed'), el('ul', {}, o.errors.map((e) => el('li', {}, e)))));
  }

  // ---- Dead letters
  async function renderDeadLetters(root) {
    const r = await api('GET', '/api/dead-letters/groups');
    if (!r.ok) return root.appendChild(problem(r));
    const report = r.data;
    const detail = region({ id: 'dead-letter-messages' });
    root.appendChild(el('p', { class: 'muted' }, `${report.scanned} dead letters scanned${report.truncated ? '; there are more than were scanned' : ''}.`));
    if (!report.groups.length) root.appendChild(el('p', {}, 'The dead-letter queue is empty.'));
    for (const g of report.groups) {
      const out = region({ class: 'replay-result' });
      const reason = g.reason === null ? '(no reason)' : g.reason;
      const rows = g.organizations.map((o) => {
        const org = o.organizationId === null ? '(no organization)' : o.organizationId;
        return [org, o.count, o.oldestEnqueuedTime, o.newestEnqueuedTime, el('span', {},
          button('Messages', () => showMessages(detail, g.reason, o.organizationId), { class: 'secondary', 'aria-label': `Messages of ${reason} in ${org}` }),
          canOperate && g.reason !== null && o.organizationId !== null
            ? button('Replay', () => replay(out, { reason: g.reason, organizationId: o.organizationId, maxSequenceNumber: o.maxSequenceNumber }), { 'aria-label': `Replay ${reason} in ${org}` }) : null)];
      });
      root.appendChild(el('section', { class: 'group' },
        el('h3', {}, reason),
        el('p', {}, `${g.count} dead letters, enqueued ${text(g.oldestEnqueuedTime)} to ${text(g.newestEnqueuedTime)}.`),
        table(`Organizations with ${reason}`, ['Organization', 'Count', 'Oldest', 'Newest', 'Actions'], rows),
        canOperate && g.reason !== null ? button(`Replay this group (${g.count})`, () => replay(out, { reason: g.reason, maxSequenceNumber: g.maxSequenceNumber })) : null,
        out));
    }
    root.appendChild(detail);
  }

  // A snapshot replay: a dry run first (what would be sent), then the replay itself under the same request id.
  async function replay(out, selection) {
    const body = Object.assign({ requestId: `console-${crypto.randomUUID()}` }, selection);
    const dry = await api('POST', '/api/dead-letters/replay', Object.assign({ dryRun: true }, body));
    if (!dry.ok) return show(out, problem(dry));
    const confirm = button(`Confirm: replay ${dry.data.selected} dead letters`, async () => {
      const r = await api('POST', '/api/dead-letters/replay', body);
      show(out, r.ok ? el('div', { class: 'result', role: 'status' }, el('strong', {}, `Replayed ${r.data.replayed} of ${r.data.selected}`), answerFacts(r.data),
        table('Messages', ['Sequence', 'Status', 'New message id', 'Detail'], (r.data.items || []).map((i) => [i.sequenceNumber, i.status, i.newMessageId, i.detail]))) : problem(r));
    });
    show(out, el('div', { class: 'result' }, el('p', {}, `Dry run: ${dry.data.selected} dead letters would be sent back to the queue (${(dry.data.items || []).map((i) => i.sequenceNumber).join(', ')})${dry.data.more ? '; more are left: replay the group again after this' : ''}.`),
      confirm, button('Cancel', () => show(out), { class: 'secondary' })));
    confirm.focus();
  }

  async function showMessages(out, reason, organizationId) {
    const query = new URLSearchParams({ limit: '50' });
    if (reason !== null) query.set('reason', reason);
    if (organizationId !== null) query.set('organizationId', organizationId);
    const r = await api('GET', `/api/dead-letters?${query}`);
    if (!r.ok) return show(out, problem(r));
    // The API filters by a reason and an organization; "none" of either is picked here.
    const items = r.data.items.filter((m) => (reason !== null || m.deadLetterReason === null) && (organizationId !== null || m.organizationId === null));
    show(out, el('h3', { tabindex: '-1' }, `Dead letters: ${reason === null ? '(no reason)' : reason}${organizationId ? ` in ${organizationId}` : ''}`),
      items.length ? items.map(messageView) : el('p', {}, 'None left.'),
      r.data.nextSequenceNumber !== null ? el('p', { class: 'muted' }, 'Only the first 50 are shown.') : null);
    out.firstChild.focus();
  }

  function messageView(m) {
    const item = el('article', { class: 'item', 'data-sequence-number': m.sequenceNumber },
      el('h4', {}, `Dead letter ${m.sequenceNumber}`),
      facts([['Message id', m.messageId], ['Event id', m.eventId], ['Organization', m.organizationId], ['User', m.userId], ['Role', m.role],
        ['Reason', m.deadLetterReason], ['Error', m.deadLetterErrorDescription], ['Enqueued', m.enqueuedTime], ['Deliveries', m.deliveryCount]]));
    if (canOperate) {
      const out = region();
      const id = `edit-${m.sequenceNumber}`;
      // The dead letter's change as it was (its occurredAt orders it; the enqueued time only when the body did not parse).
      const change = Object.assign({ eventId: m.eventId || '', occurredAt: m.occurredAt || m.enqueuedTime, organizationId: m.organizationId || '', userId: m.userId || '' },
        m.action === 'remove' ? { action: 'remove' } : { role: m.role || '' });
      const area = el('textarea', { id, spellcheck: 'false' });
      area.value = JSON.stringify(change, null, 2);
      const form = el('div', { hidden: true }, el('label', { for: id }, 'Corrected role change (JSON)'), area,
        button('Send edit and retry', async () => {
          const r = await api('POST', `/api/dead-letters/${enc(m.sequenceNumber)}/edit-and-retry`, area.value);
          show(out, r.ok ? el('div', { class: 'result', role: 'status' }, el('strong', {}, `Sent again as ${r.data.eventId}`), answerFacts(r.data)) : problem(r));
        }), out);
      item.append(button('Edit and retry', () => { form.hidden = !form.hidden; if (!form.hidden) area.focus(); }, { class: 'secondary', 'aria-label': `Edit and retry dead letter ${m.sequenceNumber}` }), form);
    }
    return item;
  }

  // ---- Membership
  async function renderMembership(root) {
    const org = el('input', { id: 'm-org', name: 'organizationId', required: true, placeholder: 'org_…', autocomplete: 'off', value: membershipQuery.organizationId });
    const by = el('select', { id: 'm-by', name: 'by' }, [['userId', 'User id'], ['emailAddress', 'Email address'], ['externalId', 'External id']]
      .map(([v, label]) => el('option', { value: v, selected: v === membershipQuery.by }, label)));
    const value = el('input', { id: 'm-value', name: 'value', required: true, autocomplete: 'off', value: membershipQuery.value });
    const out = region({ id: 'membership-result' });
    const form = el('form', { role: 'search', 'aria-label': 'Find a membership' },
      el('label', { for: 'm-org' }, 'Organization id', org), el('label', { for: 'm-by' }, 'Find by', by), el('label', { for: 'm-value' }, 'Value', value),
      el('button', { type: 'submit' }, 'Search'));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      membershipQuery = { organizationId: org.value.trim(), by: by.value, value: value.value.trim() };
      const query = new URLSearchParams({ organizationId: membershipQuery.organizationId, [membershipQuery.by]: membershipQuery.value });
      const r = await api('GET', `/api/memberships/lookup?${query}`);
      if (!r.ok) return show(out, problem(r));
      await showMembership(out, r.data);
    });
    root.append(form, out);
  }

  async function showMembership(out, found) {
    const base = `/api/memberships/${enc(found.organizationId)}/${enc(found.userId)}`;
    const verifyOut = region({ id: 'verify-result' });
    const history = await api('GET', `${base}/history?limit=50`);
    show(out,
      el('h3', {}, `${found.organizationId} / ${found.userId}`),
      el('p', { class: 'muted' }, `Found by ${found.resolvedBy}; ${found.known ? 'RoleSync has a record of this membership' : 'RoleSync has no record of this membership'}.`),
      button('Verify now', () => verify(verifyOut, base, found)), verifyOut,
      el('h3', {}, 'History'),
      !history.ok ? problem(history) : history.data.entries.length === 0 ? el('p', {}, 'No history.')
        : el('ol', { class: 'timeline', 'aria-label': 'History, newest first' }, history.data.entries.map((e) => el('li', {},
          el('strong', {}, e.outcome), ` ${text(e.role)} at `, el('time', { datetime: e.effectiveAt }, e.effectiveAt),
          facts([['Event', e.eventId], ['Reason', e.reason], ['Entry point', e.entryPoint], ['Principal', e.principal], ['Source', e.source],
            ['Attempt', e.attempt], ['Superseded by', e.supersededBy], ['Detail', e.detail], ['Recorded', e.recordedAt]])))));
  }

  async function verify(out, base, found) {
    const r = await api('GET', `${base}/verify`);
    if (!r.ok) return show(out, problem(r));
    const v = r.data;
    const repairOut = region();
    show(out, el('div', { class: v.status === 'in-sync' ? 'result' : 'problem', role: 'status' },
      el('strong', {}, `Verify: ${v.status}`),
      facts([['Desired (RoleSync)', v.desiredAbsent ? 'not a member' : v.desiredRole], ['Actual (Clerk)', v.clerkRole], ['Detail', v.detail], ['Checked', v.checkedAt]]),
      canOperate && v.status === 'drift' && (v.desiredRole || v.desiredAbsent) ? button(v.desiredAbsent ? 'Repair: remove from the organization' : `Repair: submit ${v.desiredRole}`, async () => {
        const body = Object.assign({ organizationId: found.organizationId, userId: found.userId, source: 'rolesync-console', reason: 'repair' },
          v.desiredAbsent ? { action: 'remove' } : { role: v.desiredRole });
        const s = await api('POST', '/api/role-changes', body);
        show(repairOut, s.ok ? el('div', { class: 'result', role: 'status' }, el('strong', {}, `Submitted: ${s.data.status}`), answerFacts(s.data)) : problem(s));
      }) : null, repairOut));
  }

  // ---- Holds
  async function renderHolds(root) {
    const r = await api('GET', '/api/holds');
    if (!r.ok) return root.appendChild(problem(r));
    const h = r.data;
    root.appendChild(el('p', { class: 'muted' }, h.guardEnabled ? `The bulk-change guard holds an organization's changes beyond ${h.maxPerWindow} per ${h.window}.` : 'The bulk-change guard is off.'));
    if (!h.organizations.length) root.appendChild(el('p', {}, 'No changes are held.'));
    for (const o of h.organizations) {
      const out = region();
      const decide = (decision) => async () => {
        const d = await api('POST', `/api/holds/${enc(o.organizationId)}/${decision}`);
        show(out, d.ok ? el('div', { class: 'result', role: 'status' }, el('strong', {}, `${d.data.decision}: ${d.data.count} changes`), answerFacts(d.data)) : problem(d));
      };
      const ask = (decision, label) => button(label, () => show(out, el('p', {}, `${label} every held change of ${o.organizationId}?`),
        button(`Confirm ${decision}`, decide(decision)), button('Cancel', () => show(out), { class: 'secondary' })), { 'aria-label': `${label} ${o.organizationId}` });
      root.appendChild(el('section', { class: 'group' },
        el('h3', {}, o.organizationId),
        facts([['Held changes', o.count], ['First held', o.firstHeldAt], ['Last held', o.lastHeldAt], ['Holding since', o.holdingSince]]),
        table(`Sample of held changes in ${o.organizationId}`, ['Event', 'Sequence', 'Held at', 'User', 'Action', 'Role'],
          o.sample.map((c) => [c.eventId, c.sequence, c.heldAt, c.userId, c.action, c.role])),
        canOperate ? [ask('approve', 'Approve'), ask('reject', 'Reject')] : null, out));
    }
  }

  // ---- Routing: #overview, #dead-letters, #membership, #holds.
  async function route(focus) {
    const name = Object.hasOwn(pages, location.hash.slice(1)) ? location.hash.slice(1) : 'overview';
    const [title, render] = pages[name];
    for (const link of document.querySelectorAll('nav a')) {
      if (link.getAttribute('href') === `#${name}`) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
    }
    document.title = `${title} · RoleSync console`;
    const heading = el('h2', { tabindex: '-1' }, title);
    const root = el('div', { id: `page-${name}`, 'aria-busy': 'true' });
    document.getElementById('main').replaceChildren(heading, root);
    if (focus) heading.focus();
    try { await render(root); } finally { root.setAttribute('aria-busy', 'false'); }
  }

  async function start() {
    const r = await api('GET', '/api/me');
    const who = document.getElementById('who');
    if (!r.ok) {
      if (r.status !== 401) document.getElementById('main').replaceChildren(problem(r));
      return;
    }
    canOperate = r.data.canOperate === true;
    who.textContent = `Signed in as ${r.data.name} (${r.data.roles.join(', ') || 'no role'})${canOperate ? '' : ': read-only'}`;
    window.addEventListener('hashchange', () => route(true));
    await route(false);
  }
  start();
})();
