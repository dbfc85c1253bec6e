// The inkjs side of bench/bench_inkjs.py (run by it; needs inkjs installed in DIR).
//   node inkjs_play.js compile DIR story.ink story.json   compile with inkjs's compiler
//   node inkjs_play.js play DIR story.json STEPS SEED     play random steps, print JSON
// A step: continue the story to its next choices (all the text), pick one at random.
"use strict";
const fs = require("fs");
const path = require("path");

const [mode, dir, source, steps, seed] = process.argv.slice(2);
const ink = require(path.join(path.resolve(dir), "node_modules", "inkjs", "dist", "ink-full.js"));

if (mode === "compile") {
  const errors = [];
  const options = new ink.CompilerOptions(null, [], false, (message) => errors.push(message));
  let story = null;
  try {
    story = new ink.Compiler(fs.readFileSync(source, "utf8"), options).Compile();
  } catch (e) {
    errors.push(String(e.message));
  }
  if (errors.length > 0 || story === null) {
    process.stderr.write(errors.slice(0, 5).join("\n") + "\n");
    process.exit(1);
  }
  fs.writeFileSync(steps, story.ToJson());
} else {
  const story = new ink.Story(fs.readFileSync(source, "utf8"));
  let state = (Number(seed) * 2654435761 + 1) >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state;
  };
  const n = Number(steps);
  let chars = 0;
  let restarts = 0;
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    chars += story.ContinueMaximally().length;
    const choices = story.currentChoices;
    if (choices.length === 0) {
      story.ResetState();
      restarts++;
      continue;
    }
    story.ChooseChoiceIndex(next() % choices.length);
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  process.stdout.write(JSON.stringify({ steps: n, seconds, cpuSeconds, chars, restarts }) + "\n");
}
