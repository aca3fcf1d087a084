/*
 * pdf.c — a searchable PDF of one case: each of its scanned pages as an
 * image at the scan's resolution (a black-and-white scan in CCITT G4,
 * lossless; grey and colour in JPEG), and over it the values read there as
 * invisible text (render mode 3) at the places they were read, in a
 * glyphless Type 0 font whose codes are the UTF-16 code units of the text
 * (the way Tesseract's PDF renderer writes its text layer), so that a
 * viewer finds and copies them and pdftotext extracts them.  No dates
 * inside: the same pages and values give the same bytes.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "../normalize/normalize.h"
#include "export_internal.h"

/*
 * UTF-8 to UTF-16BE hex, composed (NFC) first: the font's codes are the
 * text's UTF-16 code units and its ToUnicode map gives them back as they
 * are, so a value stored decomposed would come out of pdftotext as base
 * letters and combining marks.  Characters outside the BMP as U+FFFD
 * (Vietnamese needs none).
 */
static size_t utf16_hex(strbuf *out, const char *text)
{
	strbuf nfc = STRBUF_INIT;
	const unsigned char *p;
	size_t n = 0;

	vn_nfc(text, -1, &nfc);
	p = (const unsigned char *)(nfc.buf ? nfc.buf : "");

	while (*p) {
		unsigned cp;
		int k;

		if (*p < 0x80) {
			cp = *p;
			k = 0;
		} else if ((*p & 0xE0) == 0xC0) {
			cp = *p & 0x1F;
			k = 1;
		} else if ((*p & 0xF0) == 0xE0) {
			cp = *p & 0x0F;
			k = 2;
		} else {
			cp = 0xFFFD;
			k = (*p & 0xF8) == 0xF0 ? 3 : 0;
		}
		p++;
		for (; k > 0 && (*p & 0xC0) == 0x80; k--)
			cp = (cp << 6) | (*p++ & 0x3F);
		if (cp > 0xFFFF || cp < 0x20)
			cp = cp < 0x20 ? 0x20 : 0xFFFD;
		strbuf_addf(out, "%04X", cp);
		n++;
	}
	strbuf_release(&nfc);
	return n;
}

void export_pdf_text(struct export_pdf_text *t, int page, const char *text, const int bbox[4])
{
	size_t k;

	if (!text || !*text || t->n == HT_ARRAY_LEN(t->items))
		return;
	k = t->n++;
	t->items[k].text = text;
	t->items[k].page = page;
	if (bbox)
		memcpy(t->items[k].bbox, bbox, sizeof(t->items[k].bbox));
	else
		memset(t->items[k].bbox, 0, sizeof(t->items[k].bbox));
}

static const char tounicode[] =
    "/CIDInit /ProcSet findresource begin\n"
    "12 dict begin\n"
    "begincmap\n"
    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
    "/CMapName /Adobe-Identity-UCS def\n"
    "/CMapType 2 def\n"
    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
    "1 beginbfrange\n<0000> <FFFF> <0000>\nendbfrange\n"
    "endcmap\n"
    "CMapName currentdict /CMap defineresource pop\n"
    "end\nend\n";

/* The content of page `pg`: the image, then its values, invisible. */
static void page_content(const struct ocr_page_image *img, int pg, const struct export_pdf_text *t,
			 strbuf *content)
{
	double scale = 72.0 / img->dpi;
	double W = img->width * scale, H = img->height * scale;
	double stack_y = H - 14;

	strbuf_addf(content, "q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q\nBT 3 Tr\n", W, H);
	for (size_t i = 0; i < t->n; i++) {
		const int *b = t->items[i].bbox;
		double size, x, y, width;
		strbuf hex = STRBUF_INIT;
		size_t nch;
		int placed = b[2] > 0 && b[3] > 0 && b[0] - img->x0 >= 0 &&
			     b[0] - img->x0 < img->width && b[1] + b[3] <= img->height;

		if (t->items[i].page != pg)
			continue;
		nch = utf16_hex(&hex, t->items[i].text);
		if (placed) {
			size = b[3] * scale;
			if (size < 4)
				size = 4;
			x = (b[0] - img->x0) * scale;
			y = H - (b[1] + b[3]) * scale + size * 0.2;
			width = b[2] * scale;
		} else {
			/* read where the page does not say: stacked at the top */
			size = 10;
			x = 10;
			y = stack_y;
			stack_y -= 12;
			width = 0;
		}
		strbuf_addf(content, "/F0 %.2f Tf %.2f Tz 1 0 0 1 %.2f %.2f Tm <%s> Tj\n", size,
			    width > 0 && nch ? 100.0 * width / ((double)nch * 0.5 * size) : 100.0,
			    x, y, hex.buf ? hex.buf : "");
		strbuf_release(&hex);
	}
	strbuf_addstr(content, "ET\n");
}

/*
 * The CIDToGIDMap of the glyphless font: every code (two bytes) to glyph 1,
 * Flate-compressed (128 KB to some 300 bytes; zlib gives the same bytes
 * for the same input, so the PDF stays the same).  The same for every PDF:
 * made once per process.
 */
static unsigned char *gid_map_z;
static size_t gid_map_len;
static pthread_once_t gid_map_once = PTHREAD_ONCE_INIT;

static void gid_map_make(void)
{
	enum {
		N = 2 * 65536
	};
	unsigned char *raw = xmalloc(N);
	uLongf len = compressBound(N);

	gid_map_z = xmalloc(len);
	for (size_t i = 0; i < N; i++)
		raw[i] = (unsigned char)(i % 2);
	if (compress2(gid_map_z, &len, raw, N, 9) != Z_OK)
		xdie_oom(N); /* only a lack of memory makes compress2 fail here */
	gid_map_len = len;
	free(raw);
}

/*
 * Objects: 1 catalog, 2 pages, 3 the font (Type 0), 4 its CID font, 5 its
 * ToUnicode map, 6 its descriptor; then per page 7 + 3i the page, 8 + 3i
 * its image, 9 + 3i its content; then the font's file and its map of codes
 * to glyphs.
 */
void export_pdf_build(const struct ocr_page_image *pages, size_t npages,
		      const struct export_pdf_text *t, const char *key, strbuf *out)
{
	long off[7 + 3 * EXPORT_PDF_MAX_PAGES + 2];
	int nobj, font_file, gid_map;

	if (npages > EXPORT_PDF_MAX_PAGES)
		npages = EXPORT_PDF_MAX_PAGES;
	font_file = 7 + 3 * (int)npages;
	gid_map = font_file + 1;
	nobj = gid_map + 1;
	strbuf_addstr(out, "%PDF-1.5\n%\xe2\xe3\xcf\xd3\n");
	if (key)
		strbuf_addf(out, "%%hotich %s\n", key); /* a comment: what the PDF is made of */
	off[1] = (long)out->len;
	strbuf_addstr(out, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
	off[2] = (long)out->len;
	strbuf_addstr(out, "2 0 obj\n<< /Type /Pages /Kids [");
	for (size_t i = 0; i < npages; i++)
		strbuf_addf(out, "%s%d 0 R", i ? " " : "", 7 + 3 * (int)i);
	strbuf_addf(out, "] /Count %zu >>\nendobj\n", npages);
	off[3] = (long)out->len;
	strbuf_addstr(out, "3 0 obj\n<< /Type /Font /Subtype /Type0 /BaseFont /GlyphLessFont"
			   " /Encoding /Identity-H /DescendantFonts [4 0 R] /ToUnicode 5 0 R >>\n"
			   "endobj\n");
	off[4] = (long)out->len;
	strbuf_addf(out,
		    "4 0 obj\n<< /Type /Font /Subtype /CIDFontType2 /BaseFont /GlyphLessFont"
		    " /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
		    " /FontDescriptor 6 0 R /DW 500 /CIDToGIDMap %d 0 R >>\nendobj\n",
		    gid_map);
	off[5] = (long)out->len;
	strbuf_addf(out, "5 0 obj\n<< /Length %zu >>\nstream\n%sendstream\nendobj\n",
		    strlen(tounicode), tounicode);
	off[6] = (long)out->len;
	strbuf_addf(out,
		    "6 0 obj\n<< /Type /FontDescriptor /FontName /GlyphLessFont /Flags 5"
		    " /FontBBox [0 0 500 1000] /ItalicAngle 0 /Ascent 1000 /Descent 0"
		    " /CapHeight 1000 /StemV 80 /FontFile2 %d 0 R >>\nendobj\n",
		    font_file);
	for (size_t i = 0; i < npages; i++) {
		const struct ocr_page_image *img = &pages[i];
		double scale = 72.0 / img->dpi;
		int o = 7 + 3 * (int)i;
		strbuf content = STRBUF_INIT;

		page_content(img, (int)i, t, &content);
		off[o] = (long)out->len;
		strbuf_addf(out,
			    "%d 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f]"
			    " /Resources << /XObject << /Im0 %d 0 R >> /Font << /F0 3 0 R >> >>"
			    " /Contents %d 0 R >>\nendobj\n",
			    o, img->width * scale, img->height * scale, o + 1, o + 2);
		off[o + 1] = (long)out->len;
		if (img->kind == OCR_IMAGE_G4)
			strbuf_addf(
			    out,
			    "%d 0 obj\n<< /Type /XObject /Subtype /Image /Width %d /Height %d"
			    " /ColorSpace /DeviceGray /BitsPerComponent 1%s"
			    " /Filter /CCITTFaxDecode /DecodeParms << /K -1 /Columns %d"
			    " /Rows %d >> /Length %zu >>\nstream\n",
			    o + 1, img->width, img->height, img->black_is_0 ? " /Decode [1 0]" : "",
			    img->width, img->height, img->len);
		else
			strbuf_addf(
			    out,
			    "%d 0 obj\n<< /Type /XObject /Subtype /Image /Width %d /Height %d"
			    " /ColorSpace /%s /BitsPerComponent 8 /Filter /DCTDecode"
			    " /Length %zu >>\nstream\n",
			    o + 1, img->width, img->height, img->color ? "DeviceRGB" : "DeviceGray",
			    img->len);
		strbuf_add(out, img->data, img->len);
		strbuf_addstr(out, "\nendstream\nendobj\n");
		off[o + 2] = (long)out->len;
		strbuf_addf(out, "%d 0 obj\n<< /Length %zu >>\nstream\n", o + 2, content.len);
		strbuf_add(out, content.buf, content.len);
		strbuf_addstr(out, "endstream\nendobj\n");
		strbuf_release(&content);
	}
	off[font_file] = (long)out->len;
	strbuf_addf(out, "%d 0 obj\n<< /Length %zu /Length1 %zu >>\nstream\n", font_file,
		    export_glyphless_ttf_len, export_glyphless_ttf_len);
	strbuf_add(out, export_glyphless_ttf, export_glyphless_ttf_len);
	strbuf_addstr(out, "\nendstream\nendobj\n");
	off[gid_map] = (long)out->len;
	pthread_once(&gid_map_once, gid_map_make);
	strbuf_addf(out, "%d 0 obj\n<< /Length %zu /Filter /FlateDecode >>\nstream\n", gid_map,
		    gid_map_len);
	strbuf_add(out, gid_map_z, gid_map_len);
	strbuf_addstr(out, "\nendstream\nendobj\n");
	{
		long xref = (long)out->len;

		strbuf_addf(out, "xref\n0 %d\n0000000000 65535 f \n", nobj);
		for (int i = 1; i < nobj; i++)
			strbuf_addf(out, "%010ld 00000 n \n", off[i]);
		strbuf_addf(out, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%ld\n%%%%EOF\n",
			    nobj, xref);
	}
}
