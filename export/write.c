/*
 * write.c — the files of a book that are not PDFs: the workbook (XLSX
 * through libxlsxwriter: the cases, then the validation report), the CSV
 * of the cases and of the validation report.  Nothing in them depends on
 * the time: the same rows give the same bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "export_internal.h"

const char *const export_held_header[8] = {
	"quyenSo / book",	 "so / register no.", "ngayDangKy / registered on",
	"hoTen / name",		 "lyDo / reason",     "reason",
	"maBanGhi / record ref", "id / record id",
};

void export_held_cells(const struct export_held *h, char idbuf[24], const char *cells[8])
{
	snprintf(idbuf, 24, "%ld", h->record_id);
	cells[0] = h->book ? h->book : "";
	cells[1] = h->reg_no ? h->reg_no : "";
	cells[2] = h->reg_date ? h->reg_date : "";
	cells[3] = h->name ? h->name : "";
	cells[4] = h->reason_vi ? h->reason_vi : "";
	cells[5] = h->reason_en ? h->reason_en : "";
	cells[6] = h->record_ref ? h->record_ref : "";
	cells[7] = idbuf;
}

void export_csv_row(strbuf *out, const char *const *cells, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *s = cells[i] ? cells[i] : "";
		int formula = *s == '=' || *s == '+' || *s == '-' || *s == '@';

		if (i)
			strbuf_addch(out, ',');
		if (formula || strpbrk(s, ",\"\r\n")) {
			strbuf_addch(out, '"');
			if (formula)
				strbuf_addch(out, '\'');
			for (; *s; s++) {
				if (*s == '"')
					strbuf_addch(out, '"');
				strbuf_addch(out, *s);
			}
			strbuf_addch(out, '"');
		} else {
			strbuf_addstr(out, s);
		}
	}
	strbuf_addstr(out, "\r\n");
}

static int lxw_fail(lxw_error err, const char *path, herr *e)
{
	return herr_set(e, HT_EXIT_FATAL, "%s: cannot write the workbook: %s", path,
			lxw_strerror(err));
}

int export_xlsx_write(const char *path, const char *sheet, const char *const *header, size_t ncols,
		      char ***rows, size_t nrows, const struct export_held *held, size_t nheld,
		      herr *e)
{
	lxw_workbook_options opt = { .constant_memory = LXW_FALSE,
				     .tmpdir = NULL,
				     .use_zip64 = LXW_FALSE };
	lxw_doc_properties props = { 0 };
	char author[] = "hotich", *title = xstrdup(sheet);
	lxw_workbook *wb = workbook_new_opt(path, &opt);
	lxw_worksheet *ws, *wr;
	lxw_format *bold, *text;
	lxw_error err;

	if (!wb) {
		free(title);
		return herr_set(e, HT_EXIT_FATAL, "%s: cannot create the workbook", path);
	}
	/* a fixed time: the same rows give the same bytes (1 January 2000) */
	props.created = 946684800;
	props.author = author;
	props.title = title;
	workbook_set_properties(wb, &props);
	free(title);
	bold = workbook_add_format(wb);
	format_set_bold(bold);
	text = workbook_add_format(wb);
	format_set_num_format(text, "@");
	ws = workbook_add_worksheet(wb, "Dữ liệu");
	wr = workbook_add_worksheet(wb, "Kiểm tra");
	if (!ws || !wr) {
		workbook_close(wb);
		return herr_set(e, HT_EXIT_FATAL, "%s: cannot add the sheets", path);
	}
	for (size_t c = 0; c < ncols; c++)
		worksheet_write_string(ws, 0, (lxw_col_t)c, header[c], bold);
	/* every cell as text: numbers such as "05" or an ID keep their zeros */
	for (size_t r = 0; r < nrows; r++)
		for (size_t c = 0; c < ncols; c++)
			if (rows[r][c] && *rows[r][c])
				worksheet_write_string(ws, (lxw_row_t)(r + 1), (lxw_col_t)c,
						       rows[r][c], text);
	worksheet_freeze_panes(ws, 1, 0);
	for (size_t c = 0; c < 8; c++)
		worksheet_write_string(wr, 0, (lxw_col_t)c, export_held_header[c], bold);
	for (size_t r = 0; r < nheld; r++) {
		const char *cells[8];
		char idbuf[24];

		export_held_cells(&held[r], idbuf, cells);
		for (size_t c = 0; c < 8; c++)
			if (*cells[c])
				worksheet_write_string(wr, (lxw_row_t)(r + 1), (lxw_col_t)c,
						       cells[c], text);
	}
	worksheet_freeze_panes(wr, 1, 0);
	err = workbook_close(wb);
	return err == LXW_NO_ERROR ? 0 : lxw_fail(err, path, e);
}
