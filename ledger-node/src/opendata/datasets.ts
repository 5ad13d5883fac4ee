/**
 * The open datasets: tables of the public ledger, each with its schema (Frictionless Table Schema: a field's name,
 * type, unit and description) and built from the domains' queries only — the open data adds grouping and suppression,
 * never a second reading of the events.
 *
 * Never per member: a row is a day and a district, a slot, a ballot option, a budget project or a proposal. Payments
 * are the one table whose rows sum what identifiable people did, so a cell with fewer than {@link MIN_CELL_PAYERS}
 * distinct payers is published with its figures suppressed (docs/opendata.md says why that number).
 */
import type { Address } from "viem";
import type { ProjectionQueries } from "../domains";
import { MAX_LIMIT, type Page, type PageRequest } from "../projections/reads";
import type { CsvValue } from "./csv";
import { utcDate, utcDateTime, type EntryTime } from "./clock";

/**
 * Smallest number of distinct payers a payments cell (a day and a district) may count and still show its figures.
 * Below it the cell's payments, amount and payers are left empty and `suppressed` is true: with one or two payers, a
 * neighbour who knows who shopped that day reads their spending off the table. Five is the threshold most statistical
 * offices use for frequency tables of people (Eurostat's guidelines cite 3 to 5; we take the stricter end).
 */
export const MIN_CELL_PAYERS = 5;

/** Longest span of days a day-by-day dataset computes in one request (the parking table costs one pass per day). */
export const MAX_SPAN_DAYS = 366;

const DAY = 86_400;

export type FieldType = "string" | "integer" | "boolean" | "date" | "datetime";

/** One column, as Frictionless Table Schema describes a field (plus `unit`, which the schema allows as an extension). */
export interface FieldSpec {
  name: string;
  type: FieldType;
  description: string;
  unit?: string;
  /** Empty in some rows (a suppressed cell, an uncleared slot): the schema's `required` is false. */
  optional?: boolean;
}

export interface Bilingual {
  fr: string;
  en: string;
}

/** Days asked of a dataset, inclusive, as UTC day numbers (unix seconds / 86,400). */
export interface DayRange {
  from?: number;
  to?: number;
}

/** What the datasets read: the projections' queries and, for the payments' days, the entries' block times. */
export interface OpenDataSource {
  queries: Pick<ProjectionQueries, "members" | "currency" | "parking" | "energy" | "ballots" | "budget" | "governance">;
  entryTime?: EntryTime;
}

export type Row = CsvValue[];

export interface DatasetSpec {
  /** Path segment: `/v1/opendata/<id>.csv`. */
  id: string;
  title: Bilingual;
  description: Bilingual;
  /** Codes of the EU data-theme vocabulary (http://publications.europa.eu/resource/authority/data-theme/). */
  themes: readonly string[];
  keywords: readonly string[];
  fields: readonly FieldSpec[];
  /** The column whose date or date-time places a row in time: `from`/`to` filter on it, the catalogue's coverage spans it. */
  temporal?: string;
  /** The rows, in a stable order, restricted to `range` when the dataset has a temporal column. */
  rows(source: OpenDataSource, range: DayRange): Promise<Row[]>;
}

/** A dataset the catalogue lists but another module serves (no CSV here): only its landing route. */
export interface ExternalDatasetSpec {
  id: string;
  title: Bilingual;
  description: Bilingual;
  themes: readonly string[];
  keywords: readonly string[];
  /** Path of the route that serves it, relative to the node. */
  accessPath: string;
  mediaType: string;
}

/** Every item of a paged query, oldest first. */
function drain<T>(page: (request: PageRequest) => Page<T>): T[] {
  const out: T[] = [];
  for (let offset = 0; ; offset += MAX_LIMIT) {
    const p = page({ offset, limit: MAX_LIMIT, order: "asc" });
    out.push(...p.items);
    if (offset + MAX_LIMIT >= p.total || p.items.length === 0) return out;
  }
}

/** Every address that ever held a membership (removed and migrated-away records included: their payments count). */
function memberAddresses(source: OpenDataSource): { address: Address; district: number }[] {
  return drain((p) => source.queries.members.members({}, p)).map((m) => ({ address: m.address, district: m.district }));
}

const inRange = (day: number, range: DayRange) => (range.from === undefined || day >= range.from) && (range.to === undefined || day <= range.to);

const dayOf = (t: number) => Math.floor(t / DAY);

const notDatable = () =>
  Object.assign(new Error("this node cannot date log entries (it has no RPC client to read block times)"), { notDatable: true });

/** Whether an error says the node cannot date entries (the routes answer 503 not-ready). */
export const isNotDatable = (error: unknown): boolean => typeof error === "object" && error !== null && "notDatable" in error;

interface PaymentCell {
  day: number;
  district: number;
  payments: number;
  amount: bigint;
  payers: Set<string>;
}

const payments: DatasetSpec = {
  id: "payments",
  title: { fr: "Paiements en monnaie locale par jour et par quartier", en: "Local-currency payments by day and district" },
  description: {
    fr:
      "Paiements CityCoin faits par les membres, agrégés par jour (UTC) et par quartier du payeur. Jamais par membre : " +
      `une cellule de moins de ${MIN_CELL_PAYERS} payeurs distincts est publiée vide (suppressed = true).`,
    en:
      "CityCoin payments made by members, aggregated by day (UTC) and the payer's district. Never per member: a cell " +
      `with fewer than ${MIN_CELL_PAYERS} distinct payers is published empty (suppressed = true).`,
  },
  themes: ["ECON"],
  keywords: ["payments", "local currency", "CityCoin"],
  temporal: "date",
  fields: [
    { name: "date", type: "date", description: "UTC day of the blocks that carried the payments." },
    { name: "district", type: "integer", description: "The payer's district, as the membership registry records it now." },
    { name: "payments", type: "integer", unit: "payments", optional: true, description: "Transfers from members (issues, redemptions, fees and key migrations excluded); empty when suppressed." },
    { name: "amount", type: "integer", unit: "CityCoin base units (10^-6 euro)", optional: true, description: "Sum of those transfers; empty when suppressed." },
    { name: "payers", type: "integer", unit: "members", optional: true, description: "Distinct paying members; empty when suppressed." },
    { name: "suppressed", type: "boolean", description: `True when the cell counts fewer than ${MIN_CELL_PAYERS} distinct payers: its figures are withheld.` },
  ],
  async rows(source, range) {
    const members = memberAddresses(source);
    const found: { seq: number; payer: string; district: number; amount: bigint }[] = [];
    for (const m of members) {
      for (const t of drain((p) => historyPage(source, m.address, p))) {
        if (t.kind === "transfer" && t.from === m.address) found.push({ seq: t.seq, payer: m.address, district: m.district, amount: t.amount });
      }
    }
    if (found.length === 0) return [];
    if (!source.entryTime) throw notDatable();
    const times = await source.entryTime(found.map((f) => f.seq));
    const cells = new Map<string, PaymentCell>();
    found.forEach((f, i) => {
      const day = dayOf(times[i]);
      if (!inRange(day, range)) return;
      const key = `${day}/${f.district}`;
      let c = cells.get(key);
      if (!c) cells.set(key, (c = { day, district: f.district, payments: 0, amount: 0n, payers: new Set() }));
      c.payments += 1;
      c.amount += f.amount;
      c.payers.add(f.payer);
    });
    return [...cells.values()]
      .sort((a, b) => a.day - b.day || a.district - b.district)
      .map((c) => {
        const suppressed = c.payers.size < MIN_CELL_PAYERS;
        return [utcDate(c.day * DAY), c.district, suppressed ? null : c.payments, suppressed ? null : c.amount, suppressed ? null : c.payers.size, suppressed];
      });
  },
};

/** An account's transfers as a page (the currency query pages them itself). */
function historyPage(source: OpenDataSource, address: Address, request: PageRequest) {
  const a = source.queries.currency.account(address, request);
  return { items: a.history, total: a.total, offset: a.offset, limit: a.limit };
}

const parkingOccupancy: DatasetSpec = {
  id: "parking-occupancy",
  title: { fr: "Occupation des places de stationnement partagées, par quartier et par jour", en: "Shared parking occupancy by district and day" },
  description: {
    fr:
      "Pour chaque jour (UTC) couvert par des réservations et chaque quartier : places proposées, réservations, heures " +
      "réservées, heures offertes et taux d'occupation. Les places sont celles inscrites aujourd'hui.",
    en:
      "For each day (UTC) the bookings cover and each district: spots offered, bookings, hours booked, hours offered and " +
      "the occupancy rate. Spots are those listed today.",
  },
  themes: ["TRAN"],
  keywords: ["parking", "occupancy", "mobility"],
  temporal: "date",
  fields: [
    { name: "date", type: "date", description: "UTC day." },
    { name: "district", type: "integer", description: "District of the spots." },
    { name: "spots", type: "integer", unit: "spots", description: "Spots listed in the district now (not delisted)." },
    { name: "bookings", type: "integer", unit: "bookings", description: "Bookings not cancelled that overlap the day." },
    { name: "booked_hours", type: "integer", unit: "hours", description: "Their hours within the day." },
    { name: "available_hours", type: "integer", unit: "hours", description: "Hours the district's spots offer that day (weekly availability, blocked days excluded)." },
    { name: "occupancy_bps", type: "integer", unit: "basis points (1/10,000)", description: "booked_hours / available_hours (0 when nothing was offered)." },
  ],
  async rows(source, range) {
    const { parking } = source.queries;
    let first = Infinity;
    let last = -Infinity;
    for (const m of memberAddresses(source)) {
      for (const b of drain((p) => parking.bookings(m.address, { ...p, role: "driver" }))) {
        if (b.status === "cancelled") continue;
        first = Math.min(first, dayOf(b.start));
        last = Math.max(last, dayOf(b.end - 1));
      }
    }
    if (range.from !== undefined) first = range.from;
    if (range.to !== undefined) last = range.to;
    if (!Number.isFinite(first) || !Number.isFinite(last) || last < first) return [];
    // Without an asked range the span is the bookings': keep its last days.
    first = Math.max(first, last - MAX_SPAN_DAYS + 1);
    const rows: Row[] = [];
    for (let day = first; day <= last; day++) {
      const stats = parking.stats({ from: day * DAY, to: (day + 1) * DAY });
      for (const d of stats.districts) {
        const w = d.window;
        if (d.district === undefined || !w) continue;
        rows.push([utcDate(day * DAY), d.district, d.spots, w.bookings, w.bookedHours, w.availableHours, w.occupancyBps]);
      }
    }
    return rows;
  },
};

const energySlots: DatasetSpec = {
  id: "energy-slots",
  title: { fr: "Marché local de l'énergie : prix d'équilibre et volumes par créneau", en: "Local energy market: clearing price and volume per slot" },
  description: {
    fr: "Chaque créneau de 15 minutes où des ordres ont été passés : prix uniforme d'équilibre, volume échangé, énergie livrée selon les compteurs.",
    en: "Every 15-minute slot that received orders: uniform clearing price, volume traded, energy delivered per the meters.",
  },
  themes: ["ENER"],
  keywords: ["energy", "solar", "market", "clearing price"],
  temporal: "start",
  fields: [
    { name: "slot", type: "integer", description: "Slot number: start / 900." },
    { name: "start", type: "datetime", description: "Start of the slot (UTC)." },
    { name: "peak", type: "boolean", description: "A peak slot (demand reduction is rewarded)." },
    { name: "cleared", type: "boolean", description: "The auction of the slot has run." },
    { name: "clearing_price", type: "integer", unit: "CityCoin base units (10^-6 euro) per kWh", optional: true, description: "Uniform clearing price; empty until cleared (0: nothing traded)." },
    { name: "volume_wh", type: "integer", unit: "Wh", optional: true, description: "Energy traded at the clearing price; empty until cleared." },
    { name: "settled", type: "boolean", description: "Settled against the meters' readings." },
    { name: "delivered_wh", type: "integer", unit: "Wh", description: "Energy delivered according to the meters' readings." },
  ],
  async rows(source, range) {
    return drain((p) => source.queries.energy.slots(p))
      .filter((s) => inRange(dayOf(s.start), range))
      .sort((a, b) => a.slot - b.slot)
      .map((s) => [s.slot, utcDateTime(s.start), s.peak, s.cleared, s.cleared ? s.price : null, s.cleared ? s.volume : null, s.settled, s.deliveredWh]);
  },
};

const ballots: DatasetSpec = {
  id: "ballots",
  title: { fr: "Votations, consultations et pétitions : résultats par option", en: "Referendums, consultations and petitions: results per option" },
  description: {
    fr: "Une ligne par option de chaque scrutin : voix, participation, quorum. Résultats publiés une fois le scrutin clos, provisoires avant.",
    en: "One row per option of each ballot: votes, turnout, quorum. Published results once the ballot is final, provisional before.",
  },
  themes: ["GOVE", "SOCI"],
  keywords: ["ballot", "referendum", "petition", "vote"],
  temporal: "opens_at",
  fields: [
    { name: "ballot_id", type: "integer", description: "Ballot id in the Ballots contract." },
    { name: "kind", type: "string", description: "referendum, consultation or petition." },
    { name: "opens_at", type: "datetime", description: "Opening (UTC)." },
    { name: "closes_at", type: "datetime", description: "Closing (UTC)." },
    { name: "binding", type: "boolean", description: "The result binds the council." },
    { name: "electorate", type: "integer", unit: "members", description: "Members entitled to vote at the snapshot." },
    { name: "turnout", type: "integer", unit: "members", description: "Members who voted." },
    { name: "quorum_met", type: "boolean", description: "The ballot's threshold of participation was met." },
    { name: "final", type: "boolean", description: "The figures are the published, final result." },
    { name: "option", type: "integer", description: "Option index (0-based)." },
    { name: "votes", type: "integer", unit: "votes", description: "Votes (or approvals, or signatures) for the option." },
  ],
  async rows(source, range) {
    const rows: Row[] = [];
    for (const b of drain((p) => source.queries.ballots.ballots(p))) {
      if (!inRange(dayOf(b.opensAt), range)) continue;
      const r = b.final ?? b.results;
      r.counts.forEach((votes, option) =>
        rows.push([b.id, b.kind, utcDateTime(b.opensAt), utcDateTime(b.closesAt), b.binding, b.electorate, r.turnout, r.quorumMet, b.final !== null, option, votes]),
      );
    }
    return rows;
  },
};

const budget: DatasetSpec = {
  id: "budget",
  title: { fr: "Budget participatif : projets et lauréats", en: "Participatory budget: projects and winners" },
  description: {
    fr: "Chaque projet de chaque tour : enveloppe, quartier, coût, statut, soutiens, lauréat ou non, montant versé.",
    en: "Every project of every round: envelope, district, cost, status, supports, winner or not, amount released.",
  },
  themes: ["GOVE", "ECON"],
  keywords: ["participatory budget", "projects", "winners"],
  fields: [
    { name: "round_id", type: "integer", description: "Round id." },
    { name: "project_id", type: "integer", description: "Project id within the round." },
    { name: "envelope", type: "integer", description: "Envelope of the round the project draws on." },
    { name: "district", type: "integer", optional: true, description: "District of the envelope (0: city-wide); empty if the envelope is unknown." },
    { name: "cost", type: "integer", unit: "CityCoin base units (10^-6 euro)", description: "Cost the project asks." },
    { name: "status", type: "string", description: "submitted, feasible, infeasible, selected, funded or closed." },
    { name: "supports", type: "integer", unit: "members", description: "Members who supported the project before review." },
    { name: "winner", type: "boolean", description: "In the round's published winners." },
    { name: "released", type: "integer", unit: "CityCoin base units (10^-6 euro)", description: "Paid out to the project so far." },
  ],
  async rows(source) {
    const rows: Row[] = [];
    for (const round of drain((p) => source.queries.budget.rounds(p))) {
      const districts = new Map(round.envelopes.map((e) => [e.envelope, e.district]));
      for (const p of [...round.projects].sort((a, b) => a.projectId - b.projectId)) {
        const winner = round.result !== null && p.ballotIndex !== null && ((round.result.winners >> BigInt(p.ballotIndex)) & 1n) === 1n;
        rows.push([round.id, p.projectId, p.envelope, districts.get(p.envelope) ?? null, p.cost, p.status, p.supportCount, winner, p.released]);
      }
    }
    return rows;
  },
};

const governance: DatasetSpec = {
  id: "governance",
  title: { fr: "Décisions de gouvernance : propositions et issues", en: "Governance decisions: proposals and outcomes" },
  description: {
    fr: "Chaque proposition au conseil collégial : texte, période de vote, voix par sens (tous collèges), score pondéré, seuil, issue.",
    en: "Every proposal to the collegial council: text, voting period, votes by side (all colleges), weighted score, threshold, outcome.",
  },
  themes: ["GOVE"],
  keywords: ["governance", "proposals", "council", "decisions"],
  temporal: "vote_start",
  fields: [
    { name: "proposal_id", type: "integer", description: "Governor proposal id." },
    { name: "status", type: "string", description: "created, canceled, queued, executed or vetoed." },
    { name: "constitutional", type: "boolean", description: "Needs the constitutional super-majority." },
    { name: "charter_version", type: "integer", description: "Charter the proposal is counted under." },
    { name: "vote_start", type: "datetime", description: "Start of the vote (UTC)." },
    { name: "vote_end", type: "datetime", description: "End of the vote (UTC)." },
    { name: "for_votes", type: "integer", unit: "votes", description: "Votes for, every college." },
    { name: "against_votes", type: "integer", unit: "votes", description: "Votes against, every college." },
    { name: "abstain_votes", type: "integer", unit: "votes", description: "Abstentions, every college." },
    { name: "score_wad", type: "integer", unit: "10^-18 (1e18 = 100 %)", description: "Charter-weighted share of the colleges' votes for." },
    { name: "threshold_bps", type: "integer", unit: "basis points (1/10,000)", description: "Score the proposal needs to pass." },
    { name: "veto_signatures", type: "integer", unit: "members", description: "Signatures of the citizens' veto." },
    { name: "description", type: "string", description: "The proposal's text, as proposed on chain." },
  ],
  async rows(source, range) {
    return drain((p) => source.queries.governance.proposals(p))
      .filter((p) => inRange(dayOf(p.voteStart), range))
      .map((p) => {
        const sum = (k: "forVotes" | "againstVotes" | "abstainVotes") => p.colleges.reduce((s, c) => s + c[k], 0n);
        return [
          p.id,
          p.status,
          p.constitutional,
          p.charterVersion,
          utcDateTime(p.voteStart),
          utcDateTime(p.voteEnd),
          sum("forVotes"),
          sum("againstVotes"),
          sum("abstainVotes"),
          p.scoreWad,
          p.thresholdBps,
          p.veto.signatures,
          p.description,
        ];
      });
  },
};

/** The tables this module serves, in the catalogue's order. */
export const DATASETS: readonly DatasetSpec[] = [payments, parkingOccupancy, energySlots, ballots, budget, governance];

/** The monthly data-use bulletin, served by the datause module: listed in the catalogue, not built here. */
export const DATAUSE_BULLETINS: ExternalDatasetSpec = {
  id: "datause-bulletins",
  title: { fr: "Bulletin mensuel de l'usage des données", en: "Monthly data-use bulletin" },
  description: {
    fr:
      "Par mois, recalculable depuis le journal : pour chaque service et finalité, accès par catégorie de données, membres " +
      "concernés, taux de consentement, violations et évolution. Un bulletin par mois à /v1/datause/bulletins/AAAA-MM.",
    en:
      "Per month, recomputable from the log: per processor and purpose, accesses by data category, members concerned, " +
      "consent rate, violations and the change over time. One bulletin per month at /v1/datause/bulletins/YYYY-MM.",
  },
  themes: ["GOVE", "SOCI"],
  keywords: ["data use", "GDPR", "consent", "transparency"],
  accessPath: "/v1/datause/bulletins",
  mediaType: "application/json",
};

export function datasetById(id: string): DatasetSpec | undefined {
  return DATASETS.find((d) => d.id === id);
}
