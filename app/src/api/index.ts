export { NodeProblemError, nodeJson, nodeText } from "./node";
export { nodeKey, useNodeQuery } from "./query";
export { useCity, type City } from "./city";
export { LiveProvider, useLive, type LiveState, type LiveStatus } from "./live";
export type * from "./types";
