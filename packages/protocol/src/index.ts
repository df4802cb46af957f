export * from './version.js';
export * from './errors.js';
export * from './enums.js';
export * from './models.js';
export * from './frames.js';
export * from './requests.js';
export * from './events.js';
