/**
 * The projection machinery, the same for every domain: the engine that feeds the log to each domain's reducer and
 * hashes the states, the canonical codec, the snapshot store, the live projections of a running node and the replay.
 * The domains themselves (their reducers, queries and routes) are in `../domains`.
 */
export { defineProjection, type Projection, type ProjectionSpec } from "./projection";
export { ProjectionEngine, DEFAULT_PROJECTIONS, type StateHashes, type CatchUpOptions, type CatchUpProgress, type LoadOptions } from "./engine";
export { ProjectionStore, type SnapshotMeta } from "./store";
export { LiveProjections, type LiveProjectionsOptions } from "./live";
export { replay, type ReplayOptions, type ReplayResult } from "./replay";
export { canonicalJson, canonicalHash, decodeCanonical, writeCanonical } from "./canonical";
export { DEFAULT_LIMIT, MAX_LIMIT, paged, pageWindow, type Page, type PageRequest } from "./reads";
export { readEntries, type LeafInputSource, type LeafInputEntry, type ReplaySource } from "../log/entries";
