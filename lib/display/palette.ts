/**
 * The report's colours, in one place. Categorical series use Okabe and Ito's palette (2008),
 * chosen so that readers with any common form of colour blindness can tell its colours apart;
 * heatmaps of magnitudes use Viridis (perceptually even, readable in grey), signed ones a
 * blue-white-red scale around zero.
 */
export const OKABE_ITO = {
  blue: "#0072B2",
  vermillion: "#D55E00",
  green: "#009E73", // bluish green
  purple: "#CC79A7", // reddish purple
  orange: "#E69F00",
  sky: "#56B4E9",
  black: "#000000",
};

/** The order in which a figure's series take them. */
export const SERIES = [
  OKABE_ITO.blue,
  OKABE_ITO.vermillion,
  OKABE_ITO.green,
  OKABE_ITO.purple,
  OKABE_ITO.orange,
  OKABE_ITO.sky,
  OKABE_ITO.black,
];

/** A colour as "r,g,b" (for rgba() with a transparency). */
export function rgbOf(hex: string): string {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(",");
}
