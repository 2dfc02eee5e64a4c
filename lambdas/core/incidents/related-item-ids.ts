import { canonicalJson, sha256Hex } from '#core/shared/ids.ts';
import type { ItemIdentifier } from './shapes.ts';

/**
 * generatedId = `related-item/<TYPE>/<32 uppercase hex>`, derived from the item's type and value. Deriving it
 * (instead of drawing a random one) makes adding the same item twice a no-op, and lets UpdateRelatedItems remove
 * an item by its identifier, as the API requires.
 */
export const generatedIdOf = (identifier: ItemIdentifier): string =>
  `related-item/${identifier.type}/${sha256Hex(`${identifier.type}\n${canonicalJson(identifier.value)}`)
    .slice(0, 32)
    .toUpperCase()}`;
