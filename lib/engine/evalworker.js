// Entry point of an evaluation helper thread (lib/evalpool.ts); see lib/gridworker.js for why.
require("tsx/cjs");
require("./evalworker.ts");
