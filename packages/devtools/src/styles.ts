/** The attribute on the panel's root; only the panel's code contains it (a marker for "no panel in this bundle"). */
export const ROOT_ATTRIBUTE = 'data-baton-devtools'

/** Placements of the toggle and panel. */
export type DevtoolsPosition = 'bottom-right' | 'bottom-left' | 'top-right' | 'top-left'

/** Where the root goes: fixed in a corner; the panel opens towards the middle of the screen. */
export function rootStyle(position: DevtoolsPosition): Record<string, string | number> {
  const [vertical = 'bottom', horizontal = 'right'] = position.split('-')
  return {
    [vertical]: 12,
    [horizontal]: 12,
    flexDirection: vertical === 'top' ? 'column-reverse' : 'column',
    alignItems: horizontal === 'right' ? 'flex-end' : 'flex-start',
  }
}

/** One stylesheet, every rule scoped under `.bdt` (the root); readable in light and dark. */
export const CSS = `
.bdt{position:fixed;z-index:2147483000;display:flex;gap:8px;font:12px/1.45 ui-monospace,Menlo,Consolas,monospace;--bg:#fff;--fg:#18181b;--mu:#52525b;--bd:#d4d4d8}
@media (prefers-color-scheme:dark){.bdt{--bg:#18181b;--fg:#f4f4f5;--mu:#a1a1aa;--bd:#3f3f46}}
.bdt-panel{width:min(440px,calc(100vw - 24px));max-height:min(75vh,680px);overflow:auto;box-sizing:border-box;background:var(--bg);color:var(--fg);border:1px solid var(--bd);border-radius:8px;padding:8px 12px;box-shadow:0 8px 24px #0005}
.bdt-panel[hidden]{display:none}
.bdt h2{font-size:13px;margin:0}
.bdt h3{font-size:12px;margin:12px 0 4px;color:var(--mu)}
.bdt p{margin:4px 0}
.bdt button{font:inherit;color:var(--fg);background:var(--bg);border:1px solid var(--bd);border-radius:6px;padding:2px 8px;cursor:pointer}
.bdt button:focus-visible,.bdt-panel:focus-visible{outline:2px solid #2563eb;outline-offset:2px}
.bdt-toggle{font-weight:700;box-shadow:0 2px 8px #0003}
.bdt dl{display:grid;grid-template-columns:max-content 1fr;gap:1px 10px;margin:0}
.bdt dt{color:var(--mu)}
.bdt dd{margin:0;overflow-wrap:anywhere}
.bdt ol,.bdt ul{margin:4px 0;padding-left:18px}
.bdt li{margin:2px 0}
.bdt svg{color:var(--fg)}
.bdt svg text{fill:var(--mu);font-size:9px}
.bdt-head{display:flex;justify-content:space-between;align-items:center}
`
