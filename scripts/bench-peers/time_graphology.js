// Times graphology-layout-forceatlas2 (the ForceAtlas2 behind Sigma.js and Gephi Lite).
//
//   node time_graphology.js EDGES POSITIONS ITERATIONS RUNS THETA
//
// THETA is passed through as graphology's barnesHutTheta, which carries a factor 2
// compared with Gephi's (bench-peers.sh hands in 2 * Gephi's theta).
// Needs NODE_PATH pointing at a node_modules with graphology and
// graphology-layout-forceatlas2 in it.
//
// Each run converts the graph to the library's flat arrays (not timed), then calls the
// library's own single-iteration function ITERATIONS times on the main thread (one
// thread, as the library's web worker also is), taking a timestamp after every call.
// A run's time per iteration is (t_last - t_first) / (ITERATIONS - 1), which leaves out
// the first iteration (warm-up, JIT compilation); the median over RUNS is reported.
// Prints one JSON line on stdout; per-run notes go to stderr.
'use strict';
const fs = require('fs');
const path = require('path');
const Graph = require('graphology');
const iterate = require('graphology-layout-forceatlas2/iterate.js');
const { graphToByteArrays } = require('graphology-layout-forceatlas2/helpers.js');
const defaults = require('graphology-layout-forceatlas2/defaults.js');
const { version } = require('graphology-layout-forceatlas2/package.json');

const [edgesPath, positionsPath, itersArg, runsArg, thetaArg] = process.argv.slice(2);
const iters = Number(itersArg);
const runs = Number(runsArg);
const theta = Number(thetaArg);
if (!(iters >= 2 && runs >= 1 && theta >= 0)) {
  console.error('usage: node time_graphology.js EDGES POSITIONS ITERATIONS(>=2) RUNS THETA');
  process.exit(2);
}

function numberPairs(file) {
  return fs.readFileSync(file, 'utf8').split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.trim().split(/\s+/).map(Number));
}

const graph = new Graph({ type: 'undirected' });
numberPairs(positionsPath).forEach(([x, y], i) => graph.addNode(i, { x, y }));
for (const [a, b] of numberPairs(edgesPath)) graph.addEdge(a, b);

// The settings every FA2 in the comparison gets.
const settings = Object.assign({}, defaults, {
  barnesHutOptimize: true,
  barnesHutTheta: theta,
  scalingRatio: 2,
  gravity: 1,
  slowDown: 1,
  linLogMode: false,
});

const perRun = [];
for (let r = 0; r < runs; r++) {
  const { nodes, edges } = graphToByteArrays(graph, () => 1); // fresh start positions
  const stamps = [];
  for (let i = 0; i < iters; i++) {
    iterate(settings, nodes, edges);
    stamps.push(process.hrtime.bigint());
  }
  const ms = Number(stamps[iters - 1] - stamps[0]) / 1e6 / (iters - 1);
  perRun.push(ms);
  console.error(`graphology run ${r + 1}/${runs}: ${ms.toFixed(2)} ms/iteration`);
}

const sorted = [...perRun].sort((a, b) => a - b);
const mid = sorted.length >> 1;
const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
const round2 = (x) => Math.round(x * 100) / 100;
console.log(JSON.stringify({
  tool: 'graphology-layout-forceatlas2',
  version,
  node: process.version,
  graph: path.basename(edgesPath).replace(/\.[^.]*$/, ''),
  n: graph.order,
  m: graph.size,
  iters,
  runs,
  theta,
  threads: 1,
  ms_per_iter_runs: perRun.map(round2),
  ms_per_iter_median: round2(median),
}));
