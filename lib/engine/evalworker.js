// Entry point of an evaluation helper thread (lib/engine/evalpool.ts); see lib/experiment/gridworker.js for why.
require("tsx/cjs");
require("./evalworker.ts");
