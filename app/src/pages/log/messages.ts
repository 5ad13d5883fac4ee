import { defineMessages } from "../../i18n/define";

export default defineMessages({
  en: { nav: "Log", title: "The log" },
  fr: { nav: "Journal", title: "Le journal" },
});
