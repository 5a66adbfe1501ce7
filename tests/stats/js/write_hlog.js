// Usage: node write_hlog.js HDR_JS_DIR OUT.hlog DISTRIBUTION_OUT
// Writes an .hlog with hdr-histogram-js's own HistogramLogWriter: three intervals over two tags
// of deterministic pseudo-random latencies from 1 ns to 10^12 ns (below 2^53, which the
// library cannot hold), then prints the summary lines it computes itself.
"use strict";
const fs = require("fs");
const { load, emptyHistogram, summaryText } = require("./summary");

const [hdrJsDir, logPath, distributionPath] = process.argv.slice(2);
const hdr = load(hdrJsDir);

let state = 12345;
function nextRandom() {
  state = (state * 1103515245 + 12345) % 2147483648;
  return state / 2147483648;
}
// Mostly around a microsecond, with a long tail reaching 10^12.
function latency() {
  const u = nextRandom();
  if (u < 0.9) return 200 + Math.floor(nextRandom() * 2000);
  if (u < 0.999) return 2000 + Math.floor(nextRandom() * 500000);
  return 1 + Math.floor(Math.pow(10, nextRandom() * 12));
}

let text = "";
const writer = new hdr.HistogramLogWriter((s) => { text += s; });
writer.outputLogFormatVersion();
writer.outputStartTime(1700000000000);
writer.outputLegend();
const byTag = new Map();
const all = emptyHistogram(hdr);
const plan = [["lcore1.rx_to_book", 20000], ["lcore2.rx_to_book", 15000], ["lcore1.rx_to_book", 5000]];
plan.forEach(([tag, samples], i) => {
  const h = emptyHistogram(hdr);
  h.tag = tag;
  for (let k = 0; k < samples; k++) h.recordValue(latency());
  writer.outputIntervalHistogram(h, i, i + 1, 1000000);
  if (!byTag.has(tag)) byTag.set(tag, emptyHistogram(hdr));
  byTag.get(tag).add(h);
  all.add(h);
});
fs.writeFileSync(logPath, text);
fs.writeFileSync(distributionPath, all.outputPercentileDistribution());
process.stdout.write(summaryText(byTag, all));
