// Shared by the two checker scripts: the figures hdr_report --summary --csv prints, computed by
// hdr-histogram-js, one line per tag and one "all" line: tag,count,p50,...,p99.99,max.
"use strict";
const path = require("path");

function load(hdrJsDir) {
  return require(path.join(hdrJsDir, "node_modules", "hdr-histogram-js"));
}

function emptyHistogram(hdr) {
  return hdr.build({ bitBucketSize: 64, autoResize: true, numberOfSignificantValueDigits: 3 });
}

function summaryLine(tag, h) {
  const figures = [50, 90, 99, 99.9, 99.99].map((p) => h.getValueAtPercentile(p));
  // The encoding keeps slots, not values: like Java, report the top of the max's slot.
  figures.push(h.highestEquivalentValue(h.maxValue));
  return [tag, h.totalCount, ...figures].join(",");
}

// byTag: Map tag -> histogram (sorted like std::map), all: merged histogram.
function summaryText(byTag, all) {
  const tags = [...byTag.keys()].sort();
  const lines = tags.map((tag) => summaryLine(tag === "" ? "(untagged)" : tag, byTag.get(tag)));
  lines.push(summaryLine("all", all));
  return lines.join("\n") + "\n";
}

module.exports = { load, emptyHistogram, summaryText };
