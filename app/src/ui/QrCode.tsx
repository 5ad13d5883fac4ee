import { useMemo } from "react";
import { encode } from "uqr";

/** Modules of light margin around the code: the quiet zone scanners need (ISO/IEC 18004 asks for 4). */
const QUIET_ZONE = 4;

/**
 * `text` as a QR code: one SVG path of the dark modules (error correction M, which survives a scuffed screen), drawn
 * black on white whatever the page's colours, as scanners expect. `label` says what it holds to those who cannot see it.
 */
export function QrCode({ text, label, size = 240 }: { text: string; label: string; size?: number }) {
  const { path, modules } = useMemo(() => {
    const qr = encode(text, { ecc: "M", border: QUIET_ZONE });
    let d = "";
    qr.data.forEach((row, y) =>
      row.forEach((dark, x) => {
        if (dark) d += `M${x} ${y}h1v1h-1z`;
      }),
    );
    return { path: d, modules: qr.size };
  }, [text]);
  return (
    <svg className="qr-code" role="img" aria-label={label} viewBox={`0 0 ${modules} ${modules}`} width={size} height={size} shapeRendering="crispEdges" data-payload={text}>
      <rect width={modules} height={modules} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
