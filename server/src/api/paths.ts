/** Items in a page when the request does not say. */
export const DEFAULT_PAGE_SIZE = 100;

export { LIST_PATHS } from '@otel-rum/model';
