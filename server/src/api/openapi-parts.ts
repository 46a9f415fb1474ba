/* Small builders shared by every part of the OpenAPI document. */

/** The shared error response: a JSON body `{ error }` saying why. */
export const error = { $ref: '#/components/responses/Error' };
export const json = (schema: unknown) => ({ 'application/json': { schema } });
export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
