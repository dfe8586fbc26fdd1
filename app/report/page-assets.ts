/**
 * The inline CSS and the (optional) inline script of the timeline page. No external resource:
 * system fonts only. The page reads fully without the script, which only adds the filter box.
 */

export const PAGE_CSS = `
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#fff;--soft:#f6f8fa;--ok:#1a7f37;--bad:#cf222e;--warn:#bc4c00;--cancel:#8250df;--blue:#0969da;--amber:#d4a72c}
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;padding:20px 24px 40px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
h1{font-size:20px;margin:0 0 4px}
h2{font-size:15px;margin:22px 0 8px;padding-bottom:4px;border-bottom:1px solid var(--line)}
.meta{color:var(--muted);margin:0 0 4px}
.meta b{color:var(--fg);font-weight:600}
.outcome{display:inline-block;padding:1px 8px;border-radius:10px;font-weight:600;color:#fff}
.outcome.t-ok{background:var(--ok)}.outcome.t-bad{background:var(--bad)}.outcome.t-warn{background:var(--warn)}.outcome.t-cancel{background:var(--cancel)}.outcome.t-neutral{background:var(--muted)}
.figure{overflow-x:auto;border:1px solid var(--line);border-radius:6px;margin-top:14px;background:#fff}
svg.lanes{display:block;width:100%;min-width:900px;height:auto;font-family:inherit}
svg text{font-size:11px;fill:var(--fg)}
.lbl-lane{font-weight:600;font-size:12px}
.lbl-sub,.lbl-tick{fill:var(--muted)}
.lbl-s{font-size:10.5px;fill:var(--muted);paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}
.lbl-zombie{fill:var(--bad);font-weight:600}
.lbl-key{font-size:10.5px;fill:var(--bad);paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.lbl-outcome{font-weight:700;font-size:12px}
text.t-ok{fill:var(--ok)}text.t-bad{fill:var(--bad)}text.t-warn{fill:var(--warn)}text.t-cancel{fill:var(--cancel)}
.bg-row{fill:#f6f8fa}.bg-even{fill:#fff}.bg-odd{fill:#fbfcfd}.lane-hit{fill:transparent}
.grid{stroke:#d8dee4;stroke-width:1;stroke-dasharray:2 3;pointer-events:none}
.axis{stroke:#8c959f}
.bar{fill:#dbe4ee;stroke:#9aa8b7}
.bar.t-ok{fill:#dafbe1;stroke:#4ac26b}.bar.t-bad{fill:#ffebe9;stroke:#ff8182}.bar.t-warn{fill:#fff1e5;stroke:#fb8f44}.bar.t-cancel{fill:#fbefff;stroke:#c297ff}
.fx{fill:var(--blue)}.fx-re{fill:#e16f24}
.k-call{stroke:#6e7781;stroke-width:1.6}
.k-held{fill:#fff;stroke:#6e7781;stroke-width:1.2}
.k-sent{fill:var(--blue)}
.k-rejected{fill:#82071e}
.k-lost{stroke:var(--bad);stroke-width:2;fill:none}
.k-stored{fill:var(--ok);stroke:#fff;stroke-width:.8}
.k-crash{stroke:var(--bad);stroke-width:3;stroke-linecap:round;fill:none}
.k-timeout circle{fill:#fff;stroke:var(--warn);stroke-width:1.8}.k-timeout path{stroke:var(--warn);stroke-width:1.5;fill:none}
.k-cancel circle{fill:#fff;stroke:var(--cancel);stroke-width:1.8}.k-cancel path{stroke:var(--cancel);stroke-width:1.8}
.k-ended{stroke-width:2.5}.k-ended.t-ok{stroke:var(--ok)}.k-ended.t-bad{stroke:var(--bad)}.k-ended.t-neutral{stroke:var(--muted)}
.k-flag{stroke-width:1.6;fill-opacity:.9}
.k-flag.t-ok{stroke:var(--ok);fill:var(--ok)}.k-flag.t-bad{stroke:var(--bad);fill:var(--bad)}.k-flag.t-warn{stroke:var(--warn);fill:var(--warn)}.k-flag.t-cancel{stroke:var(--cancel);fill:var(--cancel)}.k-flag.t-neutral{stroke:var(--muted);fill:var(--muted)}
.k-wfault{fill:var(--amber);stroke:#9a6700}
.k-rfault{fill:#fff;stroke:#bf3989;stroke-width:1.6}
.k-start{fill:var(--ok)}
.k-shutdown{fill:var(--cancel)}
.k-sched{fill:var(--fg)}
.k-queued{fill:#fff;stroke:var(--fg);stroke-width:1.3}
.k-timer{fill:#fff;stroke:#6e7781;stroke-width:1.3}
.k-retry{fill:none;stroke:var(--blue);stroke-width:1.6}
rect.dense{fill:#6e7781;fill-opacity:.55}rect.dense.k-hbSent{fill:var(--blue)}rect.dense.k-stored{fill:var(--ok)}
.sp-backoff{stroke:var(--blue);stroke-width:1.5;fill:none}
.sp-queued{stroke:var(--blue);stroke-width:1.5;stroke-dasharray:3 3}
.sp-partition{fill:url(#hatch-amber);fill-opacity:.7}
.sp-partition-lane{fill:url(#hatch-amber);fill-opacity:.28}
.sp-noworker{fill:url(#hatch-grey)}
.sp-wait{fill:#f6f8fa;stroke:#8c959f;stroke-dasharray:4 3}
.sp-zombie{fill:url(#hatch-red);stroke:var(--bad)}
.hatch-red{fill:#ff818266}.hatch-amber{fill:#d4a72cbb}.hatch-grey{fill:#8c959f55}
.hl-fx{stroke:var(--bad);stroke-width:1.5}
.hl-dot{fill:var(--bad)}
.hl-time{stroke:var(--bad);stroke-width:1.2;stroke-dasharray:6 3;pointer-events:none}
.hl-time-head{fill:var(--bad)}
svg a:hover>*{opacity:.7}
svg.lanes.zoomed *{vector-effect:non-scaling-stroke}
.zoom-brush{fill:var(--blue);fill-opacity:.12;stroke:var(--blue);pointer-events:none}
text.lbl-lane.fit{cursor:zoom-in;text-decoration:underline dotted}
.zoom-bar{display:flex;gap:12px;align-items:center;margin:14px 0 -8px;font-size:13px}
.zoom-bar button{font:inherit;padding:2px 10px;border:1px solid var(--line);border-radius:6px;background:var(--soft);cursor:pointer}
.zoom-bar .hint{margin:0}
ul.legend{list-style:none;display:flex;flex-wrap:wrap;gap:4px 16px;padding:8px 10px;margin:8px 0 0;font-size:12px;color:var(--muted)}
ul.legend li{display:flex;align-items:center;gap:5px}
.sw{flex:none}
.hint{font-size:12px;color:var(--muted);margin:6px 0 0}
.verdict{border:1px solid var(--line);border-left:5px solid var(--blue);border-radius:6px;padding:10px 14px;background:#f6f8fa}
.verdict.none{border-left-color:var(--line);background:var(--soft);color:var(--muted)}
.verdict .prop{font-weight:700}
.verdict ul{margin:6px 0 0;padding-left:20px}
.cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(340px,1fr));gap:0 28px}
ol.faults{margin:0;padding-left:22px}
code,pre,.tl{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:12.5px}
code.replay{display:block;padding:8px 10px;background:var(--soft);border:1px solid var(--line);border-radius:6px;white-space:pre-wrap;word-break:break-all;user-select:all;-webkit-user-select:all}
table.counts{border-collapse:collapse}
table.counts td{padding:2px 14px 2px 0}
table.counts td.num{text-align:right;font-variant-numeric:tabular-nums;font-weight:600}
.warnings li{color:var(--warn)}
.filter{display:flex;gap:12px;align-items:center;margin:0 0 8px;font-size:13px}
.filter input[type=search]{width:340px;padding:4px 8px;border:1px solid var(--line);border-radius:6px;font:inherit}
ol.tl{list-style:none;margin:0;padding:8px 0;border:1px solid var(--line);border-radius:6px;background:var(--soft);max-height:none}
ol.tl li{padding:0 10px;white-space:pre-wrap;word-break:break-word}
ol.tl li:target{background:#fff8c5;outline:1px solid var(--amber)}
ol.tl li.bulk{color:var(--muted);font-style:italic}
ol.tl li.hl{background:#ffebe9;font-weight:600}
ol.tl li.redo{color:#953800}
ol.tl li.ev-crash,ol.tl li.ev-attemptTimedOut,ol.tl li.ev-heartbeatLost,ol.tl li.ev-heartbeatRejected{color:var(--bad)}
ol.tl li.ev-closed{font-weight:700}
ol.tl li.ev-partition,ol.tl li.ev-shutdown,ol.tl li.ev-worldFault,ol.tl li.ev-rpcFault,ol.tl li.ev-noWorker,ol.tl li.ev-cancelDelivered,ol.tl li.ev-cancelRequested{color:var(--warn)}
ol.tl li.ev-detailsStored{color:var(--ok)}
ol.tl li.ev-retryScheduled{color:var(--blue)}
@media print{.filter{display:none}.figure{overflow:visible}}
`;

/** Shows the filter box and filters the text timeline (substring, or highlighted lines only). */
export const PAGE_SCRIPT = `
(function () {
  var box = document.getElementById('tl-filter');
  var q = document.getElementById('tl-q');
  var only = document.getElementById('tl-only');
  var count = document.getElementById('tl-count');
  var lines = document.querySelectorAll('#tl-lines > li');
  if (!box || !q || !only || !count) return;
  box.hidden = false;
  function apply() {
    var s = q.value.toLowerCase(), h = only.checked, shown = 0;
    for (var i = 0; i < lines.length; i++) {
      var li = lines[i];
      var ok = (!h || li.classList.contains('hl')) && (!s || li.textContent.toLowerCase().indexOf(s) >= 0);
      li.hidden = !ok;
      if (ok) shown++;
    }
    count.textContent = shown + ' of ' + lines.length + ' lines';
  }
  q.addEventListener('input', apply);
  only.addEventListener('change', apply);
  apply();
})();
`;
