export * from './api';
export * from './apps';
export * from './attributes';
export * from './filter-fields';
export * from './kinds';
export * from './limits';
export * from './paths';
export * from './web-vitals';
export { ATTRIBUTES, type AttributeSpec, type AttributeType } from './registry';
