/** Geometry shared by the Library table's header and rows: the virtual list depends on fixed heights. */
export const ROW_HEIGHT = 56;
export const HEADER_HEIGHT = 30;
/** Rows kept in the DOM above and below the visible ones, so fast scrolls show no gaps. */
export const OVERSCAN_ROWS = 8;
