import { h, type VNode } from 'vue';
import { fieldStyle } from './kitStyles.js';

let nextId = 0;

/** A labelled `<select>` of devices; `''` selected when none. */
export function deviceSelect(
  label: string,
  className: string,
  devices: readonly { deviceId: string; deviceName: string }[],
  current: string,
  onChange: (deviceId: string) => void,
  emptyText: string,
): VNode {
  const id = `onseat-field-${++nextId}`;
  return h('div', { class: ['onseat-field', className], style: { display: 'flex', flexDirection: 'column', gap: '4px' } }, [
    h('label', { for: id, style: { fontWeight: '600' } }, label),
    h(
      'select',
      {
        id,
        value: current,
        disabled: devices.length === 0,
        style: fieldStyle(),
        onChange: (e: Event) => onChange((e.target as HTMLSelectElement).value),
      },
      devices.length === 0
        ? [h('option', { value: '' }, emptyText)]
        : devices.map((d) => h('option', { key: d.deviceId, value: d.deviceId }, d.deviceName)),
    ),
  ]);
}

/** A labelled 0–100 slider. */
export function volumeSlider(label: string, className: string, value: number, onInput: (value: number) => void): VNode {
  const id = `onseat-field-${++nextId}`;
  return h('div', { class: ['onseat-field', className], style: { display: 'flex', alignItems: 'center', gap: '8px' } }, [
    h('label', { for: id, style: { minWidth: '110px' } }, label),
    h('input', {
      id,
      type: 'range',
      min: 0,
      max: 100,
      step: 1,
      value,
      style: { flex: '1', accentColor: 'var(--onseat-accent, #5b5bd6)' },
      onInput: (e: Event) => onInput(Number((e.target as HTMLInputElement).value)),
    }),
    h('span', { 'aria-hidden': 'true', style: { width: '32px', textAlign: 'right' } }, String(value)),
  ]);
}

/** A level meter (0–100) for assistive technology and eyes. */
export function levelMeter(label: string, value: number): VNode {
  return h(
    'div',
    {
      class: 'onseat-level',
      role: 'meter',
      'aria-label': label,
      'aria-valuemin': 0,
      'aria-valuemax': 100,
      'aria-valuenow': Math.round(value),
      style: { height: '6px', borderRadius: '3px', background: 'var(--onseat-neutral, #e8e8ec)', overflow: 'hidden' },
    },
    [h('div', { style: { width: `${Math.max(0, Math.min(100, value))}%`, height: '100%', background: 'var(--onseat-success, #30a46c)' } })],
  );
}

/** A short 440 Hz tone as a WAV data URL: the default sound of the speaker test. */
export function testToneUrl(): string {
  const rate = 8000;
  const samples = rate / 2;
  const bytes = new Uint8Array(44 + samples);
  const view = new DataView(bytes.buffer);
  const text = (offset: number, s: string) => [...s].forEach((c, i) => view.setUint8(offset + i, c.charCodeAt(0)));
  text(0, 'RIFF');
  view.setUint32(4, 36 + samples, true);
  text(8, 'WAVEfmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, rate, true);
  view.setUint32(28, rate, true);
  view.setUint16(32, 1, true);
  view.setUint16(34, 8, true);
  text(36, 'data');
  view.setUint32(40, samples, true);
  for (let i = 0; i < samples; i++) bytes[44 + i] = 128 + Math.round(60 * Math.sin((2 * Math.PI * 440 * i) / rate));
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return `data:audio/wav;base64,${btoa(binary)}`;
}
