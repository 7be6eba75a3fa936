// Tables people compare rows in: MOJ Frontend's sortable table (vendored, see
// scripts/vendor_frontend.sh) turns each header with aria-sort into a button that sorts by its
// column, sets aria-sort and announces the order. Cells sort by data-sort-value where given.
// Without JavaScript the table reads as the server ordered it.
import { SortableTable } from "../vendor/moj-sortable-table.js";

for (const table of document.querySelectorAll('[data-module="moj-sortable-table"]')) {
  try {
    new SortableTable(table);
  } catch (error) {
    // A browser GOV.UK Frontend does not support keeps the table as it is.
    console.warn(error);
  }
}
