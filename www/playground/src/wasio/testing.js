// `wasio/testing` in the sandbox worker: runSimulated of the same copy as `wasio` (src/wasio/index.js).
import { __testing } from "./index.js";

export const runSimulated = __testing.runSimulated;
