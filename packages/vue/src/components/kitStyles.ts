/** Shared inline styles of the kit components; every colour is a CSS variable with a default, so apps theme them. */

export function panelStyle(): Record<string, string> {
  return {
    boxSizing: 'border-box',
    padding: '8px 12px 12px',
    background: 'var(--onseat-panel-bg, #fff)',
    color: 'var(--onseat-text, #1c2024)',
    font: '400 14px system-ui, sans-serif',
    borderRadius: 'var(--onseat-radius, 8px)',
  };
}

function button(bg: string, fg: string): Record<string, string> {
  return {
    padding: '5px 12px',
    border: '0',
    borderRadius: '6px',
    background: bg,
    color: fg,
    font: '600 13px system-ui, sans-serif',
    cursor: 'pointer',
  };
}

export const primaryButton = () => button('var(--onseat-accent, #5b5bd6)', 'var(--onseat-accent-text, #fff)');
export const dangerButton = () => button('var(--onseat-danger, #e5484d)', 'var(--onseat-danger-text, #fff)');
export const neutralButton = () => button('var(--onseat-neutral, #e8e8ec)', 'var(--onseat-text, #1c2024)');

export function fieldStyle(): Record<string, string> {
  return {
    width: '100%',
    padding: '6px 8px',
    border: '1px solid var(--onseat-border, #e0e1e6)',
    borderRadius: '6px',
    background: 'var(--onseat-field-bg, #fff)',
    color: 'inherit',
    font: 'inherit',
  };
}
