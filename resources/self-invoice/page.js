// The self-invoicing page: 1. the ticket's code and total are looked up; 2. the customer's fiscal
// data, with the régimenes their RFC's person type may have and the usos each régimen allows
// (the SAT's catalogs, as central checks them); 3. the invoice is polled by its token until the
// SAT stamps or refuses it. Every control is a native one: Tab, Enter and the arrow keys do it all.
(() => {
  const app = document.getElementById('app');
  const words = JSON.parse(app.dataset.words);
  const options = JSON.parse(app.dataset.options);
  const $ = (id) => document.getElementById(id);
  // The branch came with the receipt's code in the QR's link: it goes with that code only, not
  // with another ticket typed over it.
  const asTyped = (code) => code.replace(/\s+/g, '').toUpperCase();
  const linkedCode = asTyped($('receiptCode').value);
  const branchOf = (code) => (app.dataset.branch && asTyped(code) === linkedCode ? app.dataset.branch : '');
  const fill = (text, params) => text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));

  const ticketForm = $('ticket-form');
  const fiscalForm = $('fiscal-form');
  const fiscalStep = $('fiscal-step');
  const resultStep = $('result-step');
  const taxId = $('taxId');
  const regimen = $('taxRegime');
  const uso = $('fiscalUse');

  /** The ticket as the server found it: sent again with the fiscal data (nothing is kept between calls). */
  let ticket = null;
  /** One key per request that may write an invoice: a retry after a lost answer reuses it. */
  let requestKey = null;
  let polling = null;

  const newKey = () => {
    const bytes = new Uint8Array(18);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  };

  // --- errors by field -----------------------------------------------------------------------
  const fieldError = (name, message) => {
    const input = $(name);
    const error = $(`${name}-error`);
    if (!input || !error) return;
    error.textContent = message || '';
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  };
  const clearErrors = (form, notice) => {
    for (const el of form.querySelectorAll('input, select')) fieldError(el.id, '');
    $(notice).textContent = '';
  };

  async function call(path, body) {
    let answer;
    try {
      answer = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    } catch {
      return { ok: false, reason: 'OFFLINE', message: words.offline };
    }
    try {
      return await answer.json();
    } catch {
      return { ok: false, reason: 'UNAVAILABLE', message: words.unavailable };
    }
  }

  const busy = (button, text) => {
    button.dataset.label ??= button.textContent;
    button.disabled = Boolean(text);
    button.textContent = text || button.dataset.label;
  };

  // --- 1. the ticket -------------------------------------------------------------------------
  ticketForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(ticketForm, 'ticket-notice');
    const receiptCode = $('receiptCode').value.trim();
    const total = $('total').value.trim();
    const problem = (field, message) => {
      fieldError(field, message);
      $(field).focus();
    };
    if (!receiptCode) return problem('receiptCode', words.badCode);
    if (!total) return problem('total', words.badTotal);
    const button = $('ticket-submit');
    busy(button, words.checking);
    const branch = branchOf(receiptCode);
    const answer = await call('factura/consulta', { receiptCode, total, branch });
    busy(button, null);
    if (!answer.ok) {
      if (answer.reason === 'BAD_CODE') return problem('receiptCode', answer.message);
      if (answer.reason === 'BAD_TOTAL') return problem('total', answer.message);
      $('ticket-notice').textContent = answer.message;
      return;
    }
    ticket = { receiptCode, total, branch };
    requestKey = newKey();
    $('found-text').textContent = fill(words.found, answer);
    ticketForm.hidden = true;
    $('ticket-found').hidden = false;
    $('ticket-step').classList.add('done');
    fiscalStep.hidden = false;
    taxId.focus();
  });

  $('change-ticket').addEventListener('click', () => {
    ticket = null;
    stopPolling();
    fiscalStep.hidden = true;
    resultStep.hidden = true;
    $('ticket-found').hidden = true;
    $('ticket-step').classList.remove('done');
    ticketForm.hidden = false;
    $('total').value = '';
    $('receiptCode').focus();
  });

  // --- 2. the fiscal data --------------------------------------------------------------------
  const rfcTyped = () => taxId.value.replace(/\s+/g, '').toUpperCase();
  const personType = (rfc) => (rfc.length === 12 ? 'MORAL' : rfc.length === 13 ? 'FISICA' : null);
  const option = (value, text) => {
    const o = document.createElement('option');
    o.value = value;
    o.textContent = text;
    return o;
  };
  // What the customer chose, kept while the RFC is being corrected (the lists empty meanwhile)
  // and put back as soon as the lists offer it again.
  const wanted = { regimen: '', uso: '' };
  function fillSelect(select, entries, placeholder, keep) {
    const text = (e) => `${e.clave} · ${e.descripcion.replace(/\.$/, '')}`;
    select.replaceChildren(option('', placeholder), ...entries.map((e) => option(e.clave, text(e))));
    select.disabled = entries.length === 0;
    if (entries.some((e) => e.clave === keep)) select.value = keep;
  }
  const regimenes = () => options[personType(rfcTyped())] || [];
  function refreshUsos() {
    const chosen = regimenes().find((r) => r.clave === regimen.value);
    fillSelect(uso, chosen ? chosen.usos : [], chosen ? words.choose : words.fiscalUseFirst, wanted.uso);
  }
  function refreshRegimenes() {
    const type = personType(rfcTyped());
    fillSelect(regimen, regimenes(), type ? words.choose : words.taxRegimeFirst, wanted.regimen);
    refreshUsos();
  }
  taxId.addEventListener('input', refreshRegimenes);
  regimen.addEventListener('change', () => {
    wanted.regimen = regimen.value;
    refreshUsos();
  });
  uso.addEventListener('change', () => {
    wanted.uso = uso.value;
  });
  $('postalCode').addEventListener('input', (e) => {
    e.target.value = e.target.value.replace(/\D/g, '').slice(0, 5);
  });

  fiscalForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!ticket) return;
    clearErrors(fiscalForm, 'fiscal-notice');
    const form = {
      taxId: rfcTyped(),
      legalName: $('legalName').value.trim(),
      taxRegime: regimen.value,
      postalCode: $('postalCode').value.trim(),
      fiscalUse: uso.value,
      email: $('email').value.trim(),
    };
    const button = $('fiscal-submit');
    busy(button, words.sending);
    const answer = await call('factura/solicitud', { ...ticket, requestKey, ...form });
    busy(button, null);
    if (!answer.ok) {
      for (const p of answer.problems || []) fieldError(p.field, p.message);
      $('fiscal-notice').textContent = answer.message;
      const first = (answer.problems || [])[0];
      if (first) $(first.field).focus();
      // Nothing was written: the same key may go again. A refusal of the ticket ends this one.
      return;
    }
    // The data goes in as one line, like the ticket's: the answer is what the customer reads now.
    fiscalStep.classList.add('done');
    fiscalForm.hidden = true;
    $('fiscal-intro').hidden = true;
    $('fiscal-summary-text').textContent = fill(words.receiverSummary, form);
    $('fiscal-summary').hidden = false;
    showResult(answer.token, form.email);
  });

  // --- 3. the invoice ------------------------------------------------------------------------
  const stopPolling = () => {
    if (polling) clearTimeout(polling);
    polling = null;
  };

  function showResult(token, email) {
    resultStep.hidden = false;
    $('result-issued').hidden = true;
    $('result-notice').textContent = '';
    $('fix-data').hidden = true;
    const status = $('result-status');
    status.textContent = words.stamping;
    status.className = 'status working';
    $('result-title').focus();
    const started = Date.now();
    const poll = async () => {
      let answer = null;
      try {
        const response = await fetch(`factura/estado?t=${encodeURIComponent(token)}`, { cache: 'no-store' });
        answer = await response.json();
      } catch {
        answer = null;
      }
      const waited = Date.now() - started;
      if (answer?.ok && answer.status !== 'PENDING') return settled(answer, token);
      if (answer && !answer.ok && answer.reason === 'NO_SUCH_LINK') {
        status.className = 'status';
        status.textContent = answer.message;
        return;
      }
      if (waited > 60_000) {
        status.className = 'status';
        status.textContent = fill(words.slow, { email });
      }
      // Every 2 s for a minute, then every 15 s for as long as the page is open.
      polling = setTimeout(poll, waited > 60_000 ? 15_000 : 2_000);
    };
    polling = setTimeout(poll, 1_000);
  }

  function settled(answer, token) {
    stopPolling();
    const status = $('result-status');
    status.className = 'status';
    if (answer.status === 'ISSUED' || answer.status === 'CANCELLED') {
      resultStep.classList.add('done');
      status.textContent = answer.status === 'ISSUED' ? words.issued : words.cancelled;
      status.classList.toggle('issued', answer.status === 'ISSUED');
      $('result-uuid').textContent = answer.uuid;
      $('result-invoice').textContent = answer.invoice;
      $('download-pdf').href = `factura/pdf?t=${encodeURIComponent(token)}`;
      $('download-xml').href = `factura/xml?t=${encodeURIComponent(token)}`;
      $('result-emailed').textContent = fill(words.emailed, answer);
      $('result-issued').hidden = false;
      $('download-pdf').focus();
      return;
    }
    // REJECTED: nothing covers the sale any more; the customer corrects the data and asks again.
    status.textContent = '';
    $('result-notice').textContent = answer.message;
    $('fix-data').hidden = false;
    $('fix-data').focus();
  }

  $('fix-data').addEventListener('click', () => {
    requestKey = newKey();
    resultStep.hidden = true;
    fiscalStep.classList.remove('done');
    $('fiscal-summary').hidden = true;
    $('fiscal-intro').hidden = false;
    fiscalForm.hidden = false;
    refreshRegimenes();
    taxId.focus();
  });

  refreshRegimenes();
  ($('receiptCode').value ? $('total') : $('receiptCode')).focus();
})();
