import { useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import type { Address } from "viem";
import { useNodeQuery } from "../../api/query";
import { useFormat, useT } from "../../i18n";
import { Loading, QueryState } from "../../ui/States";
import { useChainTime } from "../../ui/chainTime";
import { useChainRead, useSignedClient } from "../../wallet/session";
import type { ProgramJson } from "../income/types";
import { FieldError } from "./FieldError";
import { SignedInPage } from "./SignedInPage";
import { useMember, type MemberJson } from "./member";
import { writeErrorMessage } from "./writeErrors";
import "./wallet.css";

export default function IncomePage() {
  const t = useT();
  return <SignedInPage title={t("wallet.incomeTitle")}>{(_city, me) => <Programs me={me} />}</SignedInPage>;
}

function Programs({ me }: { me: Address }) {
  const t = useT();
  const programs = useNodeQuery<{ items: ProgramJson[] }>("/v1/income/programs?limit=100");
  const { record } = useMember(me);
  return (
    <>
      <p className="lead">{t("wallet.incomeLead")}</p>
      <QueryState query={programs}>
        {(list) =>
          list.items.length === 0 ? (
            <p className="muted">{t("wallet.incomeNone")}</p>
          ) : !record ? (
            <Loading />
          ) : (
            list.items.map((program) => <Program key={program.id} program={program} me={me} member={record} />)
          )
        }
      </QueryState>
    </>
  );
}

/**
 * Why a member cannot claim, from what the node knows (college, roles, schedule); undefined when the chain must say:
 * the snapshot's eligibility and this period's claim are read from BasicIncome itself.
 */
function notClaimable(program: ProgramJson, member: MemberJson, now: number): { key: "incomeEnded" | "incomeNotMember" | "incomeNotEligibleCollege" | "incomeNotEligibleFlag" } | { key: "incomeNotStarted"; start: number } | undefined {
  if (program.ended || now >= program.start + program.periodLength * program.periodCount) return { key: "incomeEnded" };
  if (now < program.start) return { key: "incomeNotStarted", start: program.start };
  if (member.status !== "active") return { key: "incomeNotMember" };
  if (((program.collegeMask >> member.college) & 1) === 0) return { key: "incomeNotEligibleCollege" };
  if (program.flagBit > 0 && ((BigInt(member.flags) >> BigInt(program.flagBit - 1)) & 1n) === 0n) return { key: "incomeNotEligibleFlag" };
  return undefined;
}

function Program({ program, me, member }: { program: ProgramJson; me: Address; member: MemberJson }) {
  const t = useT();
  const format = useFormat();
  const { now } = useChainTime();
  const client = useSignedClient();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [justClaimed, setJustClaimed] = useState(false);
  const blocked = notClaimable(program, member, now);
  const id = BigInt(program.id);
  const period = Math.min(program.periodCount - 1, Math.max(0, Math.floor((now - program.start) / program.periodLength)));
  // Whether this period is claimed is the chain's answer (the node's claims may lag by a block).
  const claimed = useChainRead(["income", "claimed", program.id, period, me], (c) => c.income.hasClaimed({ programId: id, period, address: me }), {
    when: blocked === undefined,
  });

  const claim = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await client.data!.income.claim({ programId: id, gasless: true, wait: true });
      setJustClaimed(true);
      await Promise.all([claimed.refetch(), queryClient.invalidateQueries({ queryKey: ["node"] })]);
    } catch (e) {
      setError(writeErrorMessage(e, t, format));
    } finally {
      setBusy(false);
    }
  };

  const amount = format.euro(program.amountPerPeriod);
  const nextPeriodAt = program.start + (period + 1) * program.periodLength;
  return (
    <section className="card" aria-labelledby={`program-${program.id}`} data-program={program.id}>
      <h2 id={`program-${program.id}`}>{t("wallet.incomeProgram", { id: program.id })}</h2>
      <p>
        {t("wallet.incomeAllowance", { amount })}
        {blocked === undefined && <> · {t("wallet.incomePeriod", { period: period + 1, count: program.periodCount })}</>}
      </p>
      {justClaimed && (
        <p className="proven" role="status">
          ✓ {t("wallet.incomeJustClaimed", { amount })}
        </p>
      )}
      {blocked ? (
        <p className="muted" data-claimable="no">
          {blocked.key === "incomeNotStarted" ? t("wallet.incomeNotStarted", { date: format.dateTime(blocked.start) }) : t(`wallet.${blocked.key}`)}
        </p>
      ) : claimed.data === undefined ? (
        <Loading />
      ) : claimed.data ? (
        <p data-claimable="claimed">
          {period + 1 < program.periodCount ? t("wallet.incomeClaimed", { date: format.dateTime(nextPeriodAt) }) : t("wallet.incomeClaimedLast")}
        </p>
      ) : (
        <button type="button" className="button" data-claimable="yes" disabled={busy} onClick={() => void claim()}>
          {busy ? t("wallet.incomeClaiming") : t("wallet.incomeClaim", { amount })}
        </button>
      )}
      <FieldError message={error} />
    </section>
  );
}
