// Entry point of a grid worker thread. Worker threads start outside tsx (and outside the tslab
// kernel), so register tsx's CommonJS hook first; then the TypeScript worker runs as is.
require("tsx/cjs");
require("./gridworker.ts");
