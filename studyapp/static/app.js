// Small enhancements; every page also works without script.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  setUpConfirm();   // before submit-once, so a cancelled confirmation leaves the form usable
  setUpAnswerKeys();
  setUpSubmitOnce();
  setUpFilter();
  setUpTimer();
  setUpSectionPicker();
  setUpLivePreview();
  setUpMockAutosave();
  focusFirstInvalid();
  rememberTimeZone();
});

function setUpAnswerKeys() {
  // Shortcuts act only when focus is on the page itself or on an answer control: a focused
  // link or button keeps doing what it says (Enter on "Previous" goes back, not forward).
  const form = document.querySelector("[data-keyboard-answer]");
  const next = document.querySelector("[data-next]");
  const letters = document.body.dataset.shortcuts !== "off";   // a setting (WCAG 2.1.4)
  const started = Date.now();
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return;
    if (!shortcutTarget(event.target, form)) return;
    if (form) {
      const radios = form.querySelectorAll("input[name=choice]");
      const number = Number.parseInt(event.key, 10);
      if (letters && number >= 1 && number <= radios.length) {
        radios[number - 1].checked = true;
        radios[number - 1].focus();
        radios[number - 1].dispatchEvent(new Event("change", { bubbles: true }));
      } else if (letters && (event.key === "g" || event.key === "G")) {
        toggle(form.querySelector("input[name=guessed]"));
      } else if (letters && (event.key === "f" || event.key === "F")) {
        toggle(form.querySelector("input[name=flagged]"));
      } else if (event.key === "Enter") {
        event.preventDefault();
        form.requestSubmit(form.querySelector("[data-default]"));
      }
    } else if (next && event.key === "Enter") {
      event.preventDefault();
      next.click();
    }
  });
  if (form) {
    form.addEventListener("submit", () => {
      const elapsed = form.querySelector("[data-elapsed]");
      if (elapsed) elapsed.value = String(Date.now() - started);
    });
  }
}

function shortcutTarget(target, form) {
  // The page body, a non-interactive element given focus (the verdict), or an answer control.
  if (!(target instanceof HTMLElement) || target === document.body || target === document.documentElement) return true;
  if (target.isContentEditable) return false;
  if (target.matches("input[name=choice], input[name=guessed], input[name=flagged]")) return Boolean(form && form.contains(target));
  return !target.matches("a[href], button, input, select, textarea, summary, [role=button], [role=link]");
}

function setUpSubmitOnce() {
  // The server records one answer per question anyway; this just stops the flicker.
  for (const form of document.querySelectorAll("form")) {
    form.addEventListener("submit", (event) => {
      if (event.defaultPrevented) return;
      if (form.dataset.submitted) { event.preventDefault(); return; }
      if (form.querySelector("input[name=choice]") && !form.querySelector("input[name=choice]:checked")) return;
      form.dataset.submitted = "1";
    });
  }
}

function setUpFilter() {
  const input = document.querySelector("input[data-filter]");
  if (!input) return;
  const entries = document.querySelectorAll(".glossary .entry");
  const counter = document.querySelector("[data-filter-count]");
  const apply = () => {
    const query = input.value.trim().toLowerCase();
    let shown = 0;
    for (const entry of entries) {
      const match = entry.textContent.toLowerCase().includes(query);
      entry.hidden = !match;
      if (match) shown += 1;
    }
    if (counter) counter.textContent = shown ? `${shown} term${shown === 1 ? "" : "s"}` : "No term matches";
  };
  input.addEventListener("input", apply);
}

function toggle(checkbox) {
  if (!checkbox) return;
  checkbox.checked = !checkbox.checked;
  checkbox.dispatchEvent(new Event("change", { bubbles: true }));
}

function setUpTimer() {
  // The server decides when time is up; this only shows it, says it, and submits on time.
  const timer = document.querySelector("[data-remaining]");
  if (!timer) return;
  const clock = timer.querySelector("[data-clock]");
  const announcer = document.querySelector("[data-timer-announcer]");
  const endsAt = Date.now() + Number(timer.dataset.remaining) * 1000;
  const announced = new Set();
  const tick = () => {
    const left = Math.max(0, Math.ceil((endsAt - Date.now()) / 1000));
    clock.textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
    timer.classList.toggle("low", left < 300);
    for (const minutes of [10, 5, 1]) {
      // Said once as each mark passes, not on a page opened long after it.
      if (left <= minutes * 60 && left > minutes * 60 - 5 && !announced.has(minutes) && announcer) {
        announced.add(minutes);
        announcer.textContent = `${minutes} minute${minutes === 1 ? "" : "s"} left.`;
      }
    }
    if (left === 0) {
      clearInterval(interval);
      const expire = document.getElementById(timer.dataset.expireForm);
      // A choice still on its way to the server is saved first, then the exam is submitted.
      Promise.resolve(window.studyappPendingSave).finally(() => { leavingOnPurpose = true; expire?.submit(); });
    }
  };
  const interval = setInterval(tick, 1000);
  tick();
}

let leavingOnPurpose = false;

function setUpMockAutosave() {
  // A mock choice is saved the moment it is made, so neither the clock nor a menu link loses it;
  // leaving while a save has not reached the server asks first.
  const form = document.querySelector("form[data-autosave]");
  if (!form) return;
  let unsaved = false;
  const status = document.querySelector("[data-save-status]");
  const save = async () => {
    unsaved = true;
    const body = new FormData(form);
    try {
      const response = await fetch(form.dataset.autosave, { method: "POST", body, credentials: "same-origin" });
      unsaved = !response.ok;
    } catch {
      unsaved = true;
    }
    if (status) status.textContent = unsaved ? "Not saved yet: check your connection." : "Answer saved.";
  };
  form.addEventListener("change", () => { window.studyappPendingSave = save(); });
  form.addEventListener("submit", () => { leavingOnPurpose = true; });
  window.addEventListener("beforeunload", (event) => {
    if (unsaved && !leavingOnPurpose) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
}

function setUpConfirm() {
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
}

function focusFirstInvalid() {
  const invalid = document.querySelector("[aria-invalid=true]");
  if (invalid) invalid.focus();
  else document.querySelector("[data-focus-on-load]")?.focus();
}

function rememberTimeZone() {
  // The server shows times in the learner's zone: a setting, else this browser's, else UTC.
  try {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && /^[A-Za-z0-9_+\-\/]{1,64}$/.test(zone)) document.cookie = `tz=${zone}; path=/; max-age=31536000; SameSite=Lax`;
  } catch {
    // No Intl time zone: UTC it is.
  }
}

function setUpSectionPicker() {
  // Offer only the chosen topic's headings; without script every heading stays listed.
  const topic = document.querySelector("[data-topic-picker]");
  const see = document.querySelector("[data-see-picker]");
  if (!topic || !see) return;
  const apply = () => {
    for (const option of see.options) {
      if (!option.dataset.topic) continue;
      option.hidden = option.dataset.topic !== topic.value;
    }
    if (see.selectedOptions[0]?.hidden) see.value = "";
  };
  topic.addEventListener("change", apply);
  apply();
}

function setUpLivePreview() {
  // The server renders the preview with the learner's own templates; this only asks for it.
  const form = document.querySelector("form[data-live-preview]");
  const target = document.querySelector("[data-preview-target]");
  if (!form || !target) return;
  let timer = null;
  let latest = 0;
  const refresh = async () => {
    const request = ++latest;
    const response = await fetch(form.dataset.livePreview, { method: "POST", body: new FormData(form), credentials: "same-origin" });
    if (response.ok && request === latest) target.innerHTML = await response.text();
  };
  form.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });
}
