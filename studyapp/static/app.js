// Small enhancements; every page also works without script.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  setUpAnswerKeys();
  setUpSubmitOnce();
  setUpFilter();
  setUpTimer();
  setUpSectionPicker();
  setUpLivePreview();
});

function setUpAnswerKeys() {
  const form = document.querySelector("[data-keyboard-answer]");
  const next = document.querySelector("[data-next]");
  const started = Date.now();
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
    if (form) {
      const radios = form.querySelectorAll("input[name=choice]");
      const number = Number.parseInt(event.key, 10);
      if (number >= 1 && number <= radios.length) {
        radios[number - 1].checked = true;
        radios[number - 1].focus();
      } else if (event.key === "g" || event.key === "G") {
        toggle(form.querySelector("input[name=guessed]"));
      } else if (event.key === "f" || event.key === "F") {
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

function setUpSubmitOnce() {
  // The server records one answer per question anyway; this just stops the flicker.
  for (const form of document.querySelectorAll("form")) {
    form.addEventListener("submit", (event) => {
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
    if (counter) counter.textContent = `${shown} terms`;
  };
  input.addEventListener("input", apply);
}

function toggle(checkbox) {
  if (checkbox) checkbox.checked = !checkbox.checked;
}

function setUpTimer() {
  // The server decides when time is up; this only shows it and submits on time.
  const timer = document.querySelector("[data-remaining]");
  if (!timer) return;
  const clock = timer.querySelector("[data-clock]");
  const endsAt = Date.now() + Number(timer.dataset.remaining) * 1000;
  const tick = () => {
    const left = Math.max(0, Math.ceil((endsAt - Date.now()) / 1000));
    clock.textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
    timer.classList.toggle("low", left < 300);
    if (left === 0) {
      clearInterval(interval);
      document.getElementById(timer.dataset.expireForm)?.submit();
    }
  };
  const interval = setInterval(tick, 1000);
  tick();
}

function isTyping(target) {
  return target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName) && target.type !== "radio" && target.type !== "checkbox");
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
