import type { ComponentType } from "react";
import { useT, type MessageKey } from "../i18n";
import { PageTitle } from "../ui/PageTitle";

type Group = "votes" | "budget" | "governance" | "parking" | "energy" | "income";

/** A group's page until its own issue item builds it: its title and a "being built" line, in both languages. */
export function placeholderPage(group: Group): ComponentType {
  return function Placeholder() {
    const t = useT();
    const title = t(`${group}.title` as MessageKey);
    return (
      <>
        <PageTitle title={title}>{title}</PageTitle>
        <p>{t(`${group}.placeholder` as MessageKey)}</p>
      </>
    );
  };
}
