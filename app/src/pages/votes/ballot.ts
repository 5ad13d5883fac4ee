import { keccak256, stringToHex, type Hex } from "viem";
import type { MessageKey, Translate } from "../../i18n";
import type { BallotJson } from "./types";

/**
 * Where a ballot stands on the chain's clock: not open yet, open, in its reveal window (sealed), closed and waiting
 * for its finalization, or finalized. Petitions are open until their deadline, whether or not they reached it.
 */
export type BallotPhase = "upcoming" | "open" | "revealing" | "closed" | "final";

export function phaseOf(b: BallotJson, now: number): BallotPhase {
  if (b.final) return "final";
  if (now < b.opensAt) return "upcoming";
  if (now < b.closesAt) return "open";
  if (b.sealed && now < b.closesAt + b.revealWindow) return "revealing";
  return "closed";
}

export const PHASE_KEYS: Record<BallotPhase, MessageKey> = {
  upcoming: "votes.phaseUpcoming",
  open: "votes.phaseOpen",
  revealing: "votes.phaseRevealing",
  closed: "votes.phaseClosed",
  final: "votes.phaseFinal",
};

export const KIND_KEYS: Record<BallotJson["kind"], MessageKey> = {
  referendum: "votes.kindReferendum",
  consultation: "votes.kindConsultation",
  petition: "votes.kindPetition",
};

/** Referendum options by index, as ICityBallots fixes them: yes 0, no 1, blank 2. */
const REFERENDUM_KEYS: readonly MessageKey[] = ["votes.optionYes", "votes.optionNo", "votes.optionBlank"];

/**
 * The options' names: a referendum's are fixed by the contract, a petition's one option is a signature; a
 * consultation's are in its published text (only its hash is on chain), so they are numbered unless the reader
 * checked that text here (`published`).
 */
export function optionNames(t: Translate, b: BallotJson, published?: PublishedText): string[] {
  return Array.from({ length: b.optionCount }, (_, i) => {
    if (published?.options.length === b.optionCount) return published.options[i]!;
    if (b.kind === "referendum") return t(REFERENDUM_KEYS[i] ?? "votes.optionN", { n: i + 1 });
    if (b.kind === "petition") return t("votes.optionSign");
    return t("votes.optionN", { n: i + 1 });
  });
}

/** A ballot's published text once checked against its on-chain hash: the question line, then one line per option. */
export interface PublishedText {
  question: string;
  options: string[];
}

/**
 * Checks a published text against the ballot's `questionHash` (keccak256 of its UTF-8 bytes, the question and its
 * options one a line): the parsed text if it matches, else undefined. Line endings are normalised first, as a text
 * copied from a page or a PDF may carry \r\n, and trailing blank lines are dropped.
 */
export function checkPublishedText(text: string, questionHash: Hex): PublishedText | undefined {
  const normalised = text.replace(/\r\n?/g, "\n").replace(/\n+$/, "").trim();
  if (keccak256(stringToHex(normalised)) !== questionHash.toLowerCase()) return undefined;
  const [question = "", ...options] = normalised.split("\n");
  return { question, options };
}

const STORAGE_PREFIX = "cityledger.question.";

/** The text this browser checked for a hash earlier (re-checked: storage is not trusted), or undefined. */
export function rememberedText(questionHash: Hex): PublishedText | undefined {
  try {
    const text = localStorage.getItem(STORAGE_PREFIX + questionHash.toLowerCase());
    return text === null ? undefined : checkPublishedText(text, questionHash);
  } catch {
    return undefined;
  }
}

export function rememberText(questionHash: Hex, text: string): void {
  try {
    localStorage.setItem(STORAGE_PREFIX + questionHash.toLowerCase(), text.replace(/\r\n?/g, "\n").replace(/\n+$/, "").trim());
  } catch {
    // not remembered: the check still shows on the page
  }
}

/** The result a page shows: the published one once finalized, the live counts before. */
export function shownResult(b: BallotJson) {
  return b.final ?? b.results;
}

export const toNumber = (decimal: string): number => Number(decimal);
