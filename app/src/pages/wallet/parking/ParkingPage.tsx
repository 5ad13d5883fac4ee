import { useId, useState, type FormEvent } from "react";
import { Link } from "wouter";
import { useQueryClient } from "@tanstack/react-query";
import { keccak256, toBytes, type Address } from "viem";
import { parkingExchangeAbi } from "@cityledger/sdk/abis";
import { bookingIdOf, memberFlags, weeklyAvailability } from "@cityledger/sdk";
import { useNodeQuery } from "../../../api/query";
import { useFormat, useT, type Format, type MessageKey, type Translate } from "../../../i18n";
import type { Say } from "../energy/orders";
import { Hash } from "../../../ui/Hash";
import { Loading, QueryState } from "../../../ui/States";
import { useChainTime } from "../../../ui/chainTime";
import { useChainRead, useSignedClient } from "../../../wallet/session";
import { districtName } from "../../governance/labels";
import type { Page } from "../../parking/types";
import { FieldError } from "../FieldError";
import { SignedInPage } from "../SignedInPage";
import { useMember, type MemberJson } from "../member";
import type { AccountJson } from "../moves";
import { parseEuroAmount } from "../pay";
import { writeErrorMessage } from "../writeErrors";
import {
  HOUR,
  MAX_DAILY_CAP,
  MAX_DEPOSIT,
  MAX_HOURLY_RATE,
  blockedDayIn,
  describeAvailability,
  driverRefund,
  outsideAvailability,
  ownerShare,
  priceOf,
  windowProblem,
  type Preset,
} from "./rules";
import type { WalletBookingJson, WalletSpotJson } from "./types";
import "../wallet.css";
import "./parking.css";

export default function ParkingPage() {
  const t = useT();
  return <SignedInPage title={t("walletParking.title")}>{(_city, me) => <Parking me={me} />}</SignedInPage>;
}

/** The exchange's terms every refusal and refund depends on, read from ParkingExchange itself. */
interface ExchangeTerms {
  presets: Preset[];
  feeBps: number;
  maxBookingHours: number;
  disputeWindow: number;
}

function useExchangeTerms() {
  return useChainRead(
    ["parking", "terms"],
    async (c): Promise<ExchangeTerms> => {
      const address = c.addresses.parkingExchange!;
      const read = <F extends "presetCount" | "cityFeeBps" | "maxBookingHours" | "disputeWindow">(functionName: F) =>
        c.publicClient.readContract({ address, abi: parkingExchangeAbi, functionName });
      const [count, feeBps, maxBookingHours, disputeWindow] = await Promise.all([read("presetCount"), read("cityFeeBps"), read("maxBookingHours"), read("disputeWindow")]);
      const presets = await Promise.all(
        Array.from({ length: Number(count) }, async (_, i) => {
          const p = await c.publicClient.readContract({ address, abi: parkingExchangeAbi, functionName: "cancellationPreset", args: [i + 1] });
          const name = new TextDecoder().decode(toBytes(p.name)).replace(/\0+$/, "");
          return { id: i + 1, name, minNotice: p.minNotice.slice(0, p.tierCount).map(Number), refundBps: p.refundBps.slice(0, p.tierCount).map(Number), enabled: p.enabled };
        }),
      );
      return { presets: presets.filter((p) => p.enabled), feeBps: Number(feeBps), maxBookingHours: Number(maxBookingHours), disputeWindow: Number(disputeWindow) };
    },
    { staleTime: 60_000 },
  );
}

function Parking({ me }: { me: Address }) {
  const t = useT();
  const { record } = useMember(me);
  const terms = useExchangeTerms();
  const [tab, setTab] = useState<"driver" | "owner">("driver");
  if (!record || !terms.data) return terms.error ? <QueryState query={terms}>{() => null}</QueryState> : <Loading />;
  if (record.status !== "active") return <p className="notice notice-warning">{t("walletParking.notActive")}</p>;
  const owner = (BigInt(record.flags) & memberFlags.PARKING_OWNER) !== 0n;
  return (
    <>
      <p className="lead">{t("walletParking.lead")}</p>
      <div className="actions" role="group" aria-label={t("walletParking.roleChoice")}>
        <button type="button" className={tab === "driver" ? "button" : "button button-secondary"} aria-pressed={tab === "driver"} onClick={() => setTab("driver")}>
          {t("walletParking.asDriver")}
        </button>
        <button type="button" className={tab === "owner" ? "button" : "button button-secondary"} aria-pressed={tab === "owner"} onClick={() => setTab("owner")}>
          {t("walletParking.asOwner")}
        </button>
      </div>
      {tab === "driver" ? (
        <>
          <FindSpot me={me} member={record} terms={terms.data} />
          <DriverBookings me={me} terms={terms.data} />
        </>
      ) : owner ? (
        <>
          <ListSpot member={record} terms={terms.data} />
          <OwnerSpots me={me} terms={terms.data} />
        </>
      ) : (
        <p className="notice" data-testid="not-owner">
          {t("walletParking.notOwner")}
        </p>
      )}
    </>
  );
}

// ─── Driver: find and book ───────────────────────────────────────────────────────────────────────────────────────────

const pad = (n: number) => String(n).padStart(2, "0");
/** A local date's input value ("2026-12-05") and hour, from unix seconds. */
const localDate = (s: number) => {
  const d = new Date(s * 1000);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
};
const localHour = (s: number) => new Date(s * 1000).getHours();
/** Unix seconds of a local date ("2026-12-05") at an hour; NaN when the date is not one. */
function toUnix(date: string, hour: number): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return NaN;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), hour).getTime() / 1000;
}
const HOURS = [...Array(24).keys()];

type Search = { district: string; start: number; end: number };
type SpotState =
  | { bookable: true; price: bigint; deposit: bigint }
  | { bookable: false; why: "ownSpot" | "paused" | "outside" | "blocked" | "taken"; day?: number };

/** Whether `spot` can take `[start, end)`, by the contract's checks; `free` are the spots the node found free then. */
function spotState(spot: WalletSpotJson, me: Address, search: Search, free: Set<string>): SpotState {
  if (spot.owner.toLowerCase() === me.toLowerCase()) return { bookable: false, why: "ownSpot" };
  if (spot.status !== "listed") return { bookable: false, why: "paused" };
  if (outsideAvailability(BigInt(spot.weeklyAvailability), search.start, search.end)) return { bookable: false, why: "outside" };
  const day = blockedDayIn(spot.blockedDays, search.start, search.end);
  if (day !== undefined) return { bookable: false, why: "blocked", day };
  if (!free.has(spot.id)) return { bookable: false, why: "taken" };
  const hours = (search.end - search.start) / HOUR;
  return { bookable: true, price: priceOf(BigInt(spot.hourlyRate), BigInt(spot.dailyCap), hours), deposit: spot.checkIn ? BigInt(spot.deposit) : 0n };
}

/** The cancellation tiers of a preset in words: "full refund with at least 48 hours' notice; 50 % with 24 hours". */
function tiersText(t: Translate, f: Format, preset: Preset | undefined): string {
  if (!preset) return t("walletParking.tiersUnknown");
  const tiers = preset.minNotice.map((notice, i) => {
    const share = f.percent(preset.refundBps[i]! / 10_000, 0);
    if (notice === 0) return t("walletParking.tierUntilStart", { share });
    const when = notice % 86_400 === 0 ? t("walletParking.days", { count: notice / 86_400 }) : t("walletParking.hours", { count: notice / HOUR });
    return t("walletParking.tier", { share, when });
  });
  return t("walletParking.presetTiers", { name: t(`walletParking.preset_${preset.name}` as MessageKey), tiers: tiers.join(t("walletParking.tierSeparator")) });
}

function FindSpot({ me, member, terms }: { me: Address; member: MemberJson; terms: ExchangeTerms }) {
  const t = useT();
  const id = useId();
  const { now } = useChainTime();
  const next = now - (now % HOUR) + HOUR;
  const [district, setDistrict] = useState(String(member.district));
  const [startDate, setStartDate] = useState(() => localDate(next));
  const [startHour, setStartHour] = useState(() => localHour(next));
  const [endDate, setEndDate] = useState(() => localDate(next + 2 * HOUR));
  const [endHour, setEndHour] = useState(() => localHour(next + 2 * HOUR));
  const [problem, setProblem] = useState<string>();
  const [search, setSearch] = useState<Search>();
  const spots = useNodeQuery<Page<WalletSpotJson>>("/v1/parking/spots?limit=1000");
  const districts = [...new Set((spots.data?.items ?? []).map((s) => s.district))].sort((a, b) => a - b);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const start = toUnix(startDate, startHour);
    const end = toUnix(endDate, endHour);
    const found = windowProblem(start, end, now, terms.maxBookingHours);
    setProblem(found && t(`walletParking.${found}` as MessageKey, { max: terms.maxBookingHours }));
    setSearch(found ? undefined : { district, start, end });
  };

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("walletParking.findTitle")}</h2>
      <form onSubmit={submit} noValidate>
        <label htmlFor={`${id}-district`}>{t("walletParking.district")}</label>
        <select id={`${id}-district`} value={district} onChange={(e) => setDistrict(e.target.value)}>
          <option value="">{t("walletParking.allDistricts")}</option>
          {[...new Set([...districts, member.district])].sort((a, b) => a - b).map((d) => (
            <option key={d} value={String(d)}>
              {districtName(t, d)}
            </option>
          ))}
        </select>
        <fieldset className="window" aria-describedby={problem ? `${id}-window-error` : `${id}-window-hint`}>
          <legend>{t("walletParking.window")}</legend>
          <p id={`${id}-window-hint`} className="muted small">
            {t("walletParking.windowHint")}
          </p>
          <div className="window-grid">
            <div>
              <label htmlFor={`${id}-start-date`}>{t("walletParking.startDate")}</label>
              <input id={`${id}-start-date`} type="date" value={startDate} onChange={(e) => { setStartDate(e.target.value); if (endDate < e.target.value) setEndDate(e.target.value); }} aria-invalid={problem ? true : undefined} />
            </div>
            <div>
              <label htmlFor={`${id}-start-hour`}>{t("walletParking.startHour")}</label>
              <select id={`${id}-start-hour`} value={startHour} onChange={(e) => setStartHour(Number(e.target.value))}>
                {HOURS.map((h) => (
                  <option key={h} value={h}>{`${pad(h)}:00`}</option>
                ))}
              </select>
            </div>
            <div>
              <label htmlFor={`${id}-end-date`}>{t("walletParking.endDate")}</label>
              <input id={`${id}-end-date`} type="date" value={endDate} onChange={(e) => setEndDate(e.target.value)} aria-invalid={problem ? true : undefined} />
            </div>
            <div>
              <label htmlFor={`${id}-end-hour`}>{t("walletParking.endHour")}</label>
              <select id={`${id}-end-hour`} value={endHour} onChange={(e) => setEndHour(Number(e.target.value))}>
                {HOURS.map((h) => (
                  <option key={h} value={h}>{`${pad(h)}:00`}</option>
                ))}
              </select>
            </div>
          </div>
          <FieldError id={`${id}-window-error`} message={problem} />
        </fieldset>
        <button type="submit" className="button">
          {t("walletParking.search")}
        </button>
      </form>
      {search && <Results me={me} search={search} terms={terms} spots={(spots.data?.items ?? []).filter((s) => search.district === "" || String(s.district) === search.district)} />}
    </section>
  );
}

function Results({ me, search, terms, spots }: { me: Address; search: Search; terms: ExchangeTerms; spots: WalletSpotJson[] }) {
  const t = useT();
  const f = useFormat();
  const districtQuery = search.district === "" ? "" : `&district=${search.district}`;
  const free = useNodeQuery<Page<WalletSpotJson>>(`/v1/parking/spots?limit=1000&from=${search.start}&to=${search.end}${districtQuery}`);
  const [chosen, setChosen] = useState<{ spot: WalletSpotJson; price: bigint; deposit: bigint }>();
  return (
    <QueryState query={free}>
      {(page) => {
        const freeIds = new Set(page.items.map((s) => s.id));
        const window = t("walletParking.windowText", { start: f.dateTime(search.start), end: f.dateTime(search.end) });
        if (chosen) return <Book me={me} search={search} terms={terms} choice={chosen} onBack={() => setChosen(undefined)} />;
        if (spots.length === 0) return <p className="muted">{t("walletParking.noSpots")}</p>;
        return (
          <>
            <h3>{t("walletParking.resultsTitle", { window })}</h3>
            <ul className="spots" aria-label={t("walletParking.resultsLabel")}>
              {spots.map((spot) => {
                const state = spotState(spot, me, search, freeIds);
                const preset = terms.presets.find((p) => p.id === spot.presetId);
                return (
                  <li key={spot.id} className="spot" data-spot={spot.id} data-bookable={state.bookable ? "yes" : "no"}>
                    <h4>{t("walletParking.spotName", { id: spot.id, district: districtName(t, spot.district) })}</h4>
                    <p>
                      {t("parking.perHour", { amount: f.euro(spot.hourlyRate) })}
                      {spot.dailyCap !== "0" && <> · {t("parking.dailyCap", { amount: f.euro(spot.dailyCap) })}</>}
                    </p>
                    <p className="muted small">{tiersText(t, f, preset)}</p>
                    {state.bookable ? (
                      <>
                        <p className="spot-price">
                          {t("walletParking.priceFor", { amount: f.euro(state.price) })}
                          {state.deposit > 0n && <> · {t("walletParking.depositHeld", { amount: f.euro(state.deposit) })}</>}
                        </p>
                        <button type="button" className="button" onClick={() => setChosen({ spot, price: state.price, deposit: state.deposit })}>
                          {t("walletParking.bookSpot", { id: spot.id })}
                        </button>
                      </>
                    ) : (
                      <p className="muted" data-why={state.why}>
                        {state.why === "blocked" ? t("walletParking.why_blocked", { day: f.date(state.day! * 86_400) }) : t(`walletParking.why_${state.why}` as MessageKey)}
                      </p>
                    )}
                  </li>
                );
              })}
            </ul>
          </>
        );
      }}
    </QueryState>
  );
}

/** Review → sign (a permit and the booking, relayed) → booked: the total, what a cancellation would give back, and the balance first. */
function Book({ me, search, terms, choice, onBack }: { me: Address; search: Search; terms: ExchangeTerms; choice: { spot: WalletSpotJson; price: bigint; deposit: bigint }; onBack: () => void }) {
  const t = useT();
  const f = useFormat();
  const client = useSignedClient();
  const queryClient = useQueryClient();
  const account = useNodeQuery<AccountJson>(`/v1/accounts/${me}?limit=1`);
  const [stage, setStage] = useState<"review" | "sending" | "done">("review");
  const [error, setError] = useState<string>();
  const total = choice.price + choice.deposit;
  const preset = terms.presets.find((p) => p.id === choice.spot.presetId);
  const balance = account.data ? BigInt(account.data.balance) : undefined;
  const short = balance !== undefined && balance < total;

  const confirm = async () => {
    setStage("sending");
    setError(undefined);
    try {
      await client.data!.parking.bookWithPermit({ spotId: BigInt(choice.spot.id), start: search.start, end: search.end, maxCost: total, gasless: true, wait: true });
      setStage("done");
      await queryClient.invalidateQueries({ queryKey: ["node"] });
    } catch (e) {
      setError(writeErrorMessage(e, t, f));
      setStage("review");
    }
  };
  if (stage === "done") {
    return (
      <div className="booked" data-testid="booked">
        <p className="proven" role="status">
          ✓ {t("walletParking.booked", { id: choice.spot.id, start: f.dateTime(search.start), end: f.dateTime(search.end), amount: f.euro(total) })}
        </p>
        <p className="muted small">{t("walletParking.bookingId", { id: bookingIdOf(BigInt(choice.spot.id), search.start).toString() })}</p>
        <button type="button" className="button button-secondary" onClick={onBack}>
          {t("walletParking.searchAgain")}
        </button>
      </div>
    );
  }
  return (
    <div className="review" aria-labelledby="book-review">
      <h3 id="book-review">{t("walletParking.reviewTitle", { id: choice.spot.id })}</h3>
      <dl className="facts">
        <dt>{t("walletParking.when")}</dt>
        <dd>{t("walletParking.windowText", { start: f.dateTime(search.start), end: f.dateTime(search.end) })}</dd>
        <dt>{t("walletParking.price")}</dt>
        <dd>{f.euro(choice.price)}</dd>
        {choice.deposit > 0n && (
          <>
            <dt>{t("walletParking.deposit")}</dt>
            <dd>{t("walletParking.depositExplained", { amount: f.euro(choice.deposit) })}</dd>
          </>
        )}
        <dt>{t("walletParking.total")}</dt>
        <dd data-testid="book-total">{f.euro(total)}</dd>
        <dt>{t("walletParking.cancellation")}</dt>
        <dd>{tiersText(t, f, preset)}</dd>
      </dl>
      <p className="muted small">{t("walletParking.escrowExplained")}</p>
      {short && <FieldError message={t("walletParking.overBalance", { balance: f.euro(balance!) })} />}
      {error && (
        <p className="notice notice-error" role="alert">
          {t("walletParking.refused")} {error}
        </p>
      )}
      {stage === "sending" ? (
        <Loading label={t("walletParking.booking")} />
      ) : (
        <div className="actions">
          <button type="button" className="button" disabled={!client.data || short || balance === undefined} onClick={() => void confirm()}>
            {t("walletParking.confirmBook", { amount: f.euro(total) })}
          </button>
          <button type="button" className="button button-secondary" onClick={onBack}>
            {t("walletParking.back")}
          </button>
        </div>
      )}
    </div>
  );
}

// ─── Driver: bookings ────────────────────────────────────────────────────────────────────────────────────────────────

const STATUS_KEYS: Record<WalletBookingJson["status"], MessageKey> = {
  none: "walletParking.status_none",
  booked: "walletParking.status_booked",
  disputed: "walletParking.status_disputed",
  cancelled: "walletParking.status_cancelled",
  paidOut: "walletParking.status_paidOut",
  resolved: "walletParking.status_resolved",
};

function DriverBookings({ me, terms }: { me: Address; terms: ExchangeTerms }) {
  const t = useT();
  const bookings = useNodeQuery<Page<WalletBookingJson>>(`/v1/parking/members/${me}/bookings?role=driver&limit=50`);
  return (
    <section className="card" aria-labelledby="driver-bookings">
      <h2 id="driver-bookings">{t("walletParking.myBookings")}</h2>
      <QueryState query={bookings}>
        {(page) =>
          page.items.length === 0 ? (
            <p className="muted">{t("walletParking.noBookings")}</p>
          ) : (
            <ul className="spots">
              {page.items.map((b) => (
                <DriverBooking key={b.id} booking={b} terms={terms} />
              ))}
            </ul>
          )
        }
      </QueryState>
    </section>
  );
}

type Step = { kind: "idle" } | { kind: "cancel"; refund: bigint; bps: number; toOwner: bigint } | { kind: "dispute" } | { kind: "sending" };

function DriverBooking({ booking: b, terms }: { booking: WalletBookingJson; terms: ExchangeTerms }) {
  const t = useT();
  const f = useFormat();
  const id = useId();
  const { now } = useChainTime();
  const client = useSignedClient();
  const queryClient = useQueryClient();
  const [step, setStep] = useState<Step>({ kind: "idle" });
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<Say>();
  const [score, setScore] = useState<number>();
  const bookingId = BigInt(b.id);
  const preset = terms.presets.find((p) => p.id === b.presetId);
  const open = b.status === "booked";

  const send = async (action: () => Promise<unknown>, success: Say) => {
    setStep({ kind: "sending" });
    setError(undefined);
    try {
      await action();
      setDone(() => success);
      await queryClient.invalidateQueries({ queryKey: ["node"] });
    } catch (e) {
      setError(writeErrorMessage(e, t, f));
    }
    setStep({ kind: "idle" });
  };
  // ParkingExchange.cancel by the driver: only before the start; the price back per the preset's tier, the deposit in full.
  const askCancel = () => {
    setDone(undefined);
    if (b.checkedInAt) return setError(t("walletParking.cancelCheckedIn"));
    if (now >= b.start) return setError(t("walletParking.cancelStarted"));
    setError(undefined);
    const { refund, bps } = driverRefund(BigInt(b.price), BigInt(b.deposit), preset ?? { id: 0, name: "", minNotice: [], refundBps: [] }, b.start - now);
    setStep({ kind: "cancel", refund, bps, toOwner: ownerShare(BigInt(b.price) + BigInt(b.deposit) - refund, terms.feeBps).toOwner });
  };
  const checkIn = () => {
    setDone(undefined);
    if (now < b.start) return setError(t("walletParking.checkInNotYet", { start: f.dateTime(b.start) }));
    void send(() => client.data!.parking.checkIn({ bookingId, gasless: true, wait: true }), (tr) => tr("walletParking.checkedIn"));
  };
  const rate = () => {
    if (score === undefined) return setError(t("walletParking.rateChoose"));
    void send(() => client.data!.parking.rate({ bookingId, score, gasless: true, wait: true }), (tr) => tr("walletParking.rated", { score }));
  };
  const disputeOpen = open && now >= b.start && now < b.end + terms.disputeWindow;
  const canRate = b.status !== "cancelled" && now >= b.end && !b.driverRating;

  return (
    <li className="spot" data-booking={b.id} data-status={b.status}>
      <h3>{t("walletParking.spotName", { id: b.spotId, district: districtName(t, b.district) })}</h3>
      <p>{t("walletParking.windowText", { start: f.dateTime(b.start), end: f.dateTime(b.end) })}</p>
      <p>
        <span className="badge">{t(STATUS_KEYS[b.status])}</span> · {f.euro(b.price)}
        {b.deposit !== "0" && <> · {t("walletParking.depositHeld", { amount: f.euro(b.deposit) })}</>}
        {b.checkedInAt && <> · {t("walletParking.checkedInAt", { time: f.dateTime(b.checkedInAt) })}</>}
      </p>
      {b.cancellation && <p className="muted small">{t("walletParking.refunded", { amount: f.euro(b.cancellation.refund) })}</p>}
      {b.driverRating && <p className="muted small">{t("walletParking.yourRating", { score: b.driverRating.score })}</p>}
      {done && (
        <p className="proven" role="status">
          ✓ {done(t, f)}
        </p>
      )}
      {step.kind === "cancel" ? (
        <div className="review" data-testid="cancel-review">
          <p className="confirm-text" data-testid="refund-preview">
            {t("walletParking.refundPreview", { refund: f.euro(step.refund), share: f.percent(step.bps / 10_000, 0), toOwner: f.euro(step.toOwner) })}
          </p>
          <p className="muted small">{t("walletParking.refundWhy", { tiers: tiersText(t, f, preset) })}</p>
          <div className="actions">
            <button type="button" className="button" onClick={() => void send(() => client.data!.parking.cancel({ bookingId, gasless: true, wait: true }), (tr, fo) => tr("walletParking.cancelled", { amount: fo.euro(step.refund) }))}>
              {t("walletParking.confirmCancel")}
            </button>
            <button type="button" className="button button-secondary" onClick={() => setStep({ kind: "idle" })}>
              {t("walletParking.keepBooking")}
            </button>
          </div>
        </div>
      ) : step.kind === "dispute" ? (
        <div className="review">
          <p className="confirm-text">{t("walletParking.disputeExplained")}</p>
          <div className="actions">
            <button type="button" className="button" onClick={() => void send(() => client.data!.parking.openDispute({ bookingId, gasless: true, wait: true }), (tr) => tr("walletParking.disputed"))}>
              {t("walletParking.confirmDispute")}
            </button>
            <button type="button" className="button button-secondary" onClick={() => setStep({ kind: "idle" })}>
              {t("walletParking.back")}
            </button>
          </div>
        </div>
      ) : step.kind === "sending" ? (
        <Loading label={t("walletParking.sending")} />
      ) : (
        <>
          <div className="actions">
            {open && b.checkIn && !b.checkedInAt && now < b.end && (
              <button type="button" className="button" onClick={checkIn}>
                {t("walletParking.checkIn")}
              </button>
            )}
            {open && b.checkedInAt && !b.checkedOutAt && (
              <button type="button" className="button" onClick={() => void send(() => client.data!.parking.checkOut({ bookingId, gasless: true, wait: true }), (tr) => tr("walletParking.checkedOut"))}>
                {t("walletParking.checkOut")}
              </button>
            )}
            {open && now < b.end && (
              <button type="button" className="button button-secondary" onClick={askCancel}>
                {t("walletParking.cancel")}
              </button>
            )}
            {disputeOpen && (
              <button type="button" className="button button-secondary" onClick={() => setStep({ kind: "dispute" })}>
                {t("walletParking.dispute")}
              </button>
            )}
          </div>
          {canRate && (
            <fieldset className="rating">
              <legend>{t("walletParking.rateLegend")}</legend>
              {[1, 2, 3, 4, 5].map((s) => (
                <span key={s} className="rating-choice">
                  <input type="radio" id={`${id}-score-${s}`} name={`${id}-score`} value={s} checked={score === s} onChange={() => setScore(s)} />
                  <label htmlFor={`${id}-score-${s}`}>{t("walletParking.stars", { count: s })}</label>
                </span>
              ))}
              <button type="button" className="button button-secondary" onClick={rate}>
                {t("walletParking.rate")}
              </button>
            </fieldset>
          )}
        </>
      )}
      <FieldError message={error} />
    </li>
  );
}

// ─── Owner: list a spot, its bookings and payouts ────────────────────────────────────────────────────────────────────

const WEEKDAYS = [0, 1, 2, 3, 4, 5, 6];

function ListSpot({ member, terms }: { member: MemberJson; terms: ExchangeTerms }) {
  const t = useT();
  const f = useFormat();
  const id = useId();
  const client = useSignedClient();
  const queryClient = useQueryClient();
  const [district, setDistrict] = useState(String(member.district));
  const [rate, setRate] = useState("");
  const [cap, setCap] = useState("");
  const [presetId, setPresetId] = useState(terms.presets[0]?.id ?? 1);
  const [checkIn, setCheckIn] = useState(false);
  const [deposit, setDeposit] = useState("");
  const [days, setDays] = useState<number[]>(WEEKDAYS);
  const [fromHour, setFromHour] = useState(0);
  const [toHour, setToHour] = useState(24);
  const [description, setDescription] = useState("");
  const [errors, setErrors] = useState<{ district?: string; rate?: string; cap?: string; deposit?: string; hours?: string; send?: string }>({});
  const [sending, setSending] = useState(false);
  const [listed, setListed] = useState(false);

  /** An amount field: empty is `fallback` when allowed; else parsed in base units and bounded by the contract's type. */
  const amount = (text: string, max: bigint, optional: boolean): { units: bigint } | { error: string } => {
    if (optional && text.trim() === "") return { units: 0n };
    const parsed = parseEuroAmount(text);
    if ("problem" in parsed) return { error: t(`wallet.${parsed.problem}` as MessageKey, { max: f.euro(max) }) };
    if (parsed.units > max) return { error: t("walletParking.amountTooHigh", { max: f.euro(max) }) };
    return parsed;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setListed(false);
    const found: typeof errors = {};
    const d = Number(district);
    if (!/^\d+$/.test(district.trim()) || d < 1 || d > 2 ** 32 - 1) found.district = t("walletParking.badDistrict");
    const r = amount(rate, MAX_HOURLY_RATE, false);
    if ("error" in r) found.rate = r.error;
    const c = amount(cap, MAX_DAILY_CAP, true);
    if ("error" in c) found.cap = c.error;
    const dep = checkIn ? amount(deposit, MAX_DEPOSIT, true) : { units: 0n };
    if ("error" in dep) found.deposit = dep.error;
    if (days.length === 0 || fromHour >= toHour) found.hours = t("walletParking.badHours");
    setErrors(found);
    if (Object.keys(found).length > 0 || "error" in r || "error" in c || "error" in dep) return;
    setSending(true);
    try {
      await client.data!.parking.list({
        terms: {
          district: d,
          // The place is described off chain: only the description's fingerprint is recorded (no personal data).
          geohash: "0x000000000000000000000000",
          descriptionHash: keccak256(toBytes(description.trim())),
          hourlyRate: r.units,
          dailyCap: c.units,
          presetId,
          checkIn,
          deposit: dep.units,
          weeklyAvailability: weeklyAvailability(days, fromHour, toHour),
        },
        gasless: true,
        wait: true,
      });
      setListed(true);
      setRate("");
      setCap("");
      setDeposit("");
      setDescription("");
      await queryClient.invalidateQueries({ queryKey: ["node"] });
    } catch (e) {
      setErrors({ send: writeErrorMessage(e, t, f) });
    } finally {
      setSending(false);
    }
  };

  const field = (key: keyof typeof errors) => ({
    "aria-invalid": errors[key] ? true : undefined,
    "aria-describedby": errors[key] ? `${id}-${key}-error` : undefined,
  });
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("walletParking.listTitle")}</h2>
      {listed && (
        <p className="proven" role="status">
          ✓ {t("walletParking.listed")}
        </p>
      )}
      {errors.send && (
        <p className="notice notice-error" role="alert">
          {t("walletParking.refused")} {errors.send}
        </p>
      )}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <label htmlFor={`${id}-district`}>{t("walletParking.district")}</label>
        <input id={`${id}-district`} inputMode="numeric" value={district} onChange={(e) => setDistrict(e.target.value)} {...field("district")} />
        <FieldError id={`${id}-district-error`} message={errors.district} />
        <label htmlFor={`${id}-description`}>{t("walletParking.description")}</label>
        <input id={`${id}-description`} value={description} onChange={(e) => setDescription(e.target.value)} aria-describedby={`${id}-description-hint`} />
        <p id={`${id}-description-hint`} className="muted small">
          {t("walletParking.descriptionHint")}
        </p>
        <label htmlFor={`${id}-rate`}>{t("walletParking.hourlyRate")}</label>
        <input id={`${id}-rate`} inputMode="decimal" value={rate} onChange={(e) => setRate(e.target.value)} {...field("rate")} />
        <FieldError id={`${id}-rate-error`} message={errors.rate} />
        <label htmlFor={`${id}-cap`}>{t("walletParking.dailyCap")}</label>
        <input id={`${id}-cap`} inputMode="decimal" value={cap} onChange={(e) => setCap(e.target.value)} {...field("cap")} />
        <FieldError id={`${id}-cap-error`} message={errors.cap} />
        <label htmlFor={`${id}-preset`}>{t("walletParking.cancellation")}</label>
        <select id={`${id}-preset`} value={presetId} onChange={(e) => setPresetId(Number(e.target.value))} aria-describedby={`${id}-preset-hint`}>
          {terms.presets.map((p) => (
            <option key={p.id} value={p.id}>
              {t(`walletParking.preset_${p.name}` as MessageKey)}
            </option>
          ))}
        </select>
        <p id={`${id}-preset-hint`} className="muted small">
          {tiersText(t, f, terms.presets.find((p) => p.id === presetId))}
        </p>
        <p className="checkbox-row">
          <input id={`${id}-checkin`} type="checkbox" checked={checkIn} onChange={(e) => setCheckIn(e.target.checked)} />
          <label htmlFor={`${id}-checkin`}>{t("walletParking.withCheckIn")}</label>
        </p>
        {checkIn && (
          <>
            <label htmlFor={`${id}-deposit`}>{t("walletParking.depositField")}</label>
            <input id={`${id}-deposit`} inputMode="decimal" value={deposit} onChange={(e) => setDeposit(e.target.value)} {...field("deposit")} />
            <FieldError id={`${id}-deposit-error`} message={errors.deposit} />
          </>
        )}
        <fieldset className="window">
          <legend>{t("walletParking.availability")}</legend>
          <p className="muted small">{t("walletParking.availabilityHint")}</p>
          <div className="weekdays">
            {WEEKDAYS.map((d) => (
              <span key={d} className="checkbox-row">
                <input
                  id={`${id}-day-${d}`}
                  type="checkbox"
                  checked={days.includes(d)}
                  onChange={(e) => setDays(e.target.checked ? [...days, d].sort() : days.filter((x) => x !== d))}
                />
                <label htmlFor={`${id}-day-${d}`}>{t(`walletParking.day_${d}` as MessageKey)}</label>
              </span>
            ))}
          </div>
          <div className="window-grid">
            <div>
              <label htmlFor={`${id}-from`}>{t("walletParking.fromHour")}</label>
              <select id={`${id}-from`} value={fromHour} onChange={(e) => setFromHour(Number(e.target.value))} {...field("hours")}>
                {HOURS.map((h) => (
                  <option key={h} value={h}>{`${pad(h)}:00`}</option>
                ))}
              </select>
            </div>
            <div>
              <label htmlFor={`${id}-to`}>{t("walletParking.toHour")}</label>
              <select id={`${id}-to`} value={toHour} onChange={(e) => setToHour(Number(e.target.value))} {...field("hours")}>
                {[...HOURS.slice(1), 24].map((h) => (
                  <option key={h} value={h}>{`${pad(h)}:00`}</option>
                ))}
              </select>
            </div>
          </div>
          <FieldError id={`${id}-hours-error`} message={errors.hours} />
        </fieldset>
        {sending ? (
          <Loading label={t("walletParking.sending")} />
        ) : (
          <button type="submit" className="button" disabled={!client.data}>
            {t("walletParking.listSubmit")}
          </button>
        )}
      </form>
    </section>
  );
}

function OwnerSpots({ me, terms }: { me: Address; terms: ExchangeTerms }) {
  const t = useT();
  const f = useFormat();
  const spots = useNodeQuery<Page<WalletSpotJson>>("/v1/parking/spots?limit=1000");
  const bookings = useNodeQuery<Page<WalletBookingJson>>(`/v1/parking/members/${me}/bookings?role=owner&limit=100`);
  return (
    <section className="card" aria-labelledby="owner-spots">
      <h2 id="owner-spots">{t("walletParking.mySpots")}</h2>
      <QueryState query={spots}>
        {(page) => {
          const mine = page.items.filter((s) => s.owner.toLowerCase() === me.toLowerCase());
          if (mine.length === 0) return <p className="muted">{t("walletParking.noSpotsOwned")}</p>;
          return (
            <ul className="spots">
              {mine.map((s) => {
                const hours = describeAvailability(BigInt(s.weeklyAvailability));
                const own = (bookings.data?.items ?? []).filter((b) => b.spotId === s.id);
                const paid = own.reduce((sum, b) => sum + BigInt(b.payout?.toOwner ?? b.cancellation?.toOwner ?? b.resolution?.toOwner ?? "0"), 0n);
                return (
                  <li key={s.id} className="spot" data-owned-spot={s.id}>
                    <h3>{t("walletParking.spotName", { id: s.id, district: districtName(t, s.district) })}</h3>
                    <p>
                      {t("parking.perHour", { amount: f.euro(s.hourlyRate) })} · {t(`parking.status_${s.status}`)}
                    </p>
                    <p className="muted small">
                      {hours
                        ? t("walletParking.availabilityText", { days: hours.days.map((d) => t(`walletParking.day_${d}` as MessageKey)).join(", "), from: `${pad(hours.fromHour)}:00`, to: `${pad(hours.toHour)}:00` })
                        : t("walletParking.availabilityIrregular")}
                    </p>
                    <p className="muted small">{tiersText(t, f, terms.presets.find((p) => p.id === s.presetId))}</p>
                    <p>
                      <Link href={`/parking/${s.id}`}>{t("walletParking.calendarLink")}</Link>
                    </p>
                    <h4>{t("walletParking.spotBookings", { count: own.length })}</h4>
                    {own.length > 0 && (
                      <ul className="moves">
                        {own.map((b) => (
                          <li key={`${b.id}-${b.status}`} className="move" data-owner-booking={b.id}>
                            <span>{t("walletParking.windowText", { start: f.dateTime(b.start), end: f.dateTime(b.end) })}</span>
                            <span className="move-amount">{f.euro(b.price)}</span>
                            <span className="move-detail muted small">
                              {t(STATUS_KEYS[b.status])} · {t("walletParking.driver")} <Hash value={b.driver} />
                            </span>
                          </li>
                        ))}
                      </ul>
                    )}
                    <p data-testid="payouts">{t("walletParking.payouts", { amount: f.euro(paid) })}</p>
                  </li>
                );
              })}
            </ul>
          );
        }}
      </QueryState>
    </section>
  );
}
