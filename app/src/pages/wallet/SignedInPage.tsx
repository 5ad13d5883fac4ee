import type { ReactNode } from "react";
import { Link } from "wouter";
import type { Address } from "viem";
import { useCity, type City } from "../../api/city";
import { useT } from "../../i18n";
import { Hash } from "../../ui/Hash";
import { PageTitle } from "../../ui/PageTitle";
import { QueryState } from "../../ui/States";
import { useSession } from "../../wallet/session";
import { SignIn } from "./SignIn";

/** A wallet page under /wallet: a link back, its title, and its content once a member is signed in (else the sign-in). */
export function SignedInPage({ title, children }: { title: string; children: (city: City, me: Address) => ReactNode }) {
  const t = useT();
  const city = useCity();
  const { signer } = useSession();
  return (
    <>
      <p className="back-link">
        <Link href="/wallet">← {t("wallet.backToWallet")}</Link>
      </p>
      <PageTitle title={title}>{title}</PageTitle>
      <QueryState query={city}>
        {(c) =>
          signer ? (
            <>
              <p className="muted small" data-signed-in={signer.address}>
                {t("wallet.signedInAs")} <Hash value={signer.address} />
              </p>
              {children(c, signer.address)}
            </>
          ) : (
            <SignIn city={c} />
          )
        }
      </QueryState>
    </>
  );
}
