// Keyboard shortcuts of the reclassification review queue
// (templates/views/reklasifikasi-usulan.html lists them): J next proposal,
// K previous, S approve the chosen one with its form as filled in, T go to
// its reason for rejecting. Never while typing in a field; Esc leaves the
// field. Without this file every form works the same by hand.
(function () {
  'use strict';

  function items() {
    return Array.prototype.slice.call(document.querySelectorAll('article.usulan'));
  }

  function current() {
    var a = document.activeElement;
    return a && a.closest ? a.closest('article.usulan') : null;
  }

  function choose(el) {
    if (!el) {
      return;
    }
    el.focus();
    el.scrollIntoView({block: 'start'});
  }

  function typing(el) {
    return el && el.closest && el.closest('input, textarea, select, [contenteditable="true"]') !== null;
  }

  document.addEventListener('keydown', function (e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) {
      return;
    }
    if (typing(e.target)) {
      if (e.key === 'Escape') {
        var back = current();
        if (back) {
          back.focus();
        }
      }
      return;
    }
    var list = items();
    if (list.length === 0) {
      return;
    }
    var cur = current();
    var i = cur ? list.indexOf(cur) : -1;
    switch (e.key.toLowerCase()) {
      case 'j':
        choose(list[Math.min(i + 1, list.length - 1)]);
        break;
      case 'k':
        choose(list[Math.max(i - 1, 0)]);
        break;
      case 's': {
        var form = cur && cur.querySelector('form.setujui');
        if (!form) {
          return;
        }
        var jenis = form.querySelector('select[name="jenis"]');
        if (jenis && !jenis.value) {
          jenis.focus(); // nothing was proposed: the admin chooses first
        } else {
          form.requestSubmit();
        }
        break;
      }
      case 't': {
        var alasan = cur && cur.querySelector('form.tolak textarea[name="alasan"]');
        if (!alasan) {
          return;
        }
        alasan.focus();
        break;
      }
      default:
        return;
    }
    e.preventDefault();
  });

  // After a decision the queue comes back at the next proposal (#u-...);
  // otherwise the first one is chosen.
  function start() {
    var list = items();
    var target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
    if (target && list.indexOf(target) >= 0) {
      choose(target);
    } else if (list.length > 0 && !document.querySelector('[aria-invalid="true"]')) {
      list[0].focus({preventScroll: true});
    }
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
