// Runs a Python file on MicroPython's wasm build in Node: node run.mjs script.py
// Prints the program's output; the wall time of the whole process is what the bench measures.
import { loadMicroPython } from "@micropython/micropython-webassembly-pyscript";
import { readFileSync } from "node:fs";

const src = readFileSync(process.argv[2], "utf8");
const mp = await loadMicroPython({ stdout: (line) => process.stdout.write(line + "\n") });
try {
  await mp.runPythonAsync(src);
} catch (e) {
  process.stderr.write(String(e) + "\n");
  process.exit(1);
}
