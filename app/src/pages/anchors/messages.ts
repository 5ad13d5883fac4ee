import { defineMessages } from "../../i18n/define";

export default defineMessages({
  en: { nav: "Anchors", title: "Anchors on chain" },
  fr: { nav: "Ancrages", title: "Ancrages sur la chaîne" },
});
