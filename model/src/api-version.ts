/**
 * Version of the query and management API, in the OpenAPI document's info.version. Raised when a
 * client may depend on something new; the Grafana data source refuses a server older than the one
 * it was built with (its health check says so).
 */
export const QUERY_API_VERSION = '0.2.0';
