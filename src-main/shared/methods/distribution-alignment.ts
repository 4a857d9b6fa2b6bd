import { z } from 'zod';

/**
 * Distribution alignment (ReMixMatch; FlexMatch's and FreeMatch's option): the weak views' probabilities are
 * scaled by the labelled clips' class prior over a running mean of the model's predictions, then renormalised,
 * before they are thresholded. A setting of FixMatch, FlexMatch and FreeMatch.
 */
export const distributionAlignmentSetting = {
  distributionAlignment: z.boolean().default(false),
};
