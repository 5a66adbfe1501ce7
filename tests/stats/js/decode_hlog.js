// Usage: node decode_hlog.js HDR_JS_DIR FILE.hlog DISTRIBUTION_OUT
// Decodes an .hlog with hdr-histogram-js (an implementation independent of ours), merges the
// intervals per tag and overall, prints the summary lines and writes the merged histogram's
// outputPercentileDistribution() text to DISTRIBUTION_OUT.
"use strict";
const fs = require("fs");
const { load, emptyHistogram, summaryText } = require("./summary");

const [hdrJsDir, logPath, distributionPath] = process.argv.slice(2);
const hdr = load(hdrJsDir);
const reader = new hdr.HistogramLogReader(fs.readFileSync(logPath, "utf8"), 64);
const byTag = new Map();
const all = emptyHistogram(hdr);
let intervals = 0;
for (let h = reader.nextIntervalHistogram(); h !== null; h = reader.nextIntervalHistogram()) {
  const tag = h.tag && h.tag !== hdr.NO_TAG ? h.tag : "";
  if (!byTag.has(tag)) byTag.set(tag, emptyHistogram(hdr));
  byTag.get(tag).add(h);
  all.add(h);
  intervals++;
}
if (intervals === 0) {
  console.error("decode_hlog.js: no intervals in " + logPath);
  process.exit(1);
}
fs.writeFileSync(distributionPath, all.outputPercentileDistribution());
process.stdout.write(summaryText(byTag, all));
