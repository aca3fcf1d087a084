/*
 * test_camera.c — the phone camera of the fixtures: the sheet's corners
 * recorded are where the sheet is found in the photo, a page point lands
 * where the transform says, the boxes follow, glare spares the values, a
 * photo is a JPEG without a resolution tag or with 72 dpi, the security
 * paper is in colour and keeps the ink black, and all of it follows the
 * seed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../fixtures/camera.h"

/* a blank page of A4 at 150 dpi */
#define PAGE_W 1240
#define PAGE_H 1754

static PIX *white_page(void)
{
	PIX *p = pixCreate(PAGE_W, PAGE_H, 8);

	assert_non_null(p);
	pixSetAllArbitrary(p, 255);
	pixSetResolution(p, 150, 150);
	return p;
}

/* a black square of side 2r + 1 centred on page pixel (x, y) */
static void dot(PIX *p, int x, int y, int r)
{
	assert_int_equal(pixRasterop(p, x - r, y - r, 2 * r + 1, 2 * r + 1, PIX_CLR, NULL, 0, 0),
			 0);
}

/* a camera that changes nothing but the geometry: dark desk, no light, no lens, no sensor */
static void clean_camera(struct fx_camera *cam, int w, int h)
{
	memset(cam, 0, sizeof(*cam));
	cam->frame_w = w;
	cam->frame_h = h;
	cam->backdrop = FX_BACKDROP_DARK;
	cam->ink = 1;
	cam->jpeg_quality = 85;
	cam->seed = 42;
}

static double lum(PIX *pix, int x, int y)
{
	l_int32 r, g, b;

	pixGetRGBPixel(pix, x, y, &r, &g, &b);
	return (r + g + b) / 3.0;
}

/* the place along a scan where the luminance first crosses `mid` (pixel centres), or -1 */
static double crossing(PIX *pix, int fixed, int from, int to, int horizontal, double mid)
{
	int step = to > from ? 1 : -1, i;
	double prev = -1;

	for (i = from; i != to; i += step) {
		double v = horizontal ? lum(pix, i, fixed) : lum(pix, fixed, i);

		if (prev >= 0 && prev < mid && v >= mid)
			return (i - step) + 0.5 + step * (mid - prev) / (v - prev);
		prev = v;
	}
	return -1;
}

/* least squares: v = a u + b over n points */
static void fit(const double *u, const double *v, int n, double *a, double *b)
{
	double su = 0, sv = 0, suu = 0, suv = 0;
	int i;

	for (i = 0; i < n; i++) {
		su += u[i];
		sv += v[i];
		suu += u[i] * u[i];
		suv += u[i] * v[i];
	}
	*a = (n * suv - su * sv) / (n * suu - su * su);
	*b = (sv - *a * su) / n;
}

/*
 * find_sheet: the sheet's corners found in the photo without the camera's
 * data: each edge is a line fitted to where the luminance crosses halfway
 * between desk and paper along rows or columns across its middle half;
 * the corners are the edges' intersections.
 */
static void find_sheet(PIX *pix, double found[4][2])
{
	int w = pixGetWidth(pix), h = pixGetHeight(pix), x0 = w, x1 = 0, y0 = h, y1 = 0, x, y, n;
	double mid, desk = lum(pix, 1, 1), paper = lum(pix, w / 2, h / 2);
	double *u = calloc((size_t)(w + h), sizeof(double)),
	       *v = calloc((size_t)(w + h), sizeof(double));
	double top[2], bottom[2], left[2], right[2];

	assert_non_null(u);
	assert_non_null(v);
	mid = (desk + paper) / 2;
	assert_true(paper - desk > 100);
	for (y = 0; y < h; y += 2)
		for (x = 0; x < w; x += 2)
			if (lum(pix, x, y) > mid) {
				x0 = x < x0 ? x : x0;
				x1 = x > x1 ? x : x1;
				y0 = y < y0 ? y : y0;
				y1 = y > y1 ? y : y1;
			}
	/* top and bottom: y = a x + b along columns of the middle half */
	n = 0;
	for (x = x0 + (x1 - x0) / 4; x < x1 - (x1 - x0) / 4; x += 3) {
		u[n] = x + 0.5;
		v[n++] = crossing(pix, x, 0, h / 2, 0, mid);
	}
	fit(u, v, n, &top[0], &top[1]);
	n = 0;
	for (x = x0 + (x1 - x0) / 4; x < x1 - (x1 - x0) / 4; x += 3) {
		u[n] = x + 0.5;
		v[n++] = crossing(pix, x, h - 1, h / 2, 0, mid);
	}
	fit(u, v, n, &bottom[0], &bottom[1]);
	/* left and right: x = a y + b along rows */
	n = 0;
	for (y = y0 + (y1 - y0) / 4; y < y1 - (y1 - y0) / 4; y += 3) {
		u[n] = y + 0.5;
		v[n++] = crossing(pix, y, 0, w / 2, 1, mid);
	}
	fit(u, v, n, &left[0], &left[1]);
	n = 0;
	for (y = y0 + (y1 - y0) / 4; y < y1 - (y1 - y0) / 4; y += 3) {
		u[n] = y + 0.5;
		v[n++] = crossing(pix, y, w - 1, w / 2, 1, mid);
	}
	fit(u, v, n, &right[0], &right[1]);
	/* y = a x + b meets x = c y + d */
	{
		const double *hz[4] = { top, top, bottom, bottom },
			     *vt[4] = { left, right, right, left };
		int i;

		for (i = 0; i < 4; i++) {
			double a = hz[i][0], b = hz[i][1], c = vt[i][0], d = vt[i][1];

			found[i][1] = (a * d + b) / (1 - a * c);
			found[i][0] = c * found[i][1] + d;
		}
	}
	free(u);
	free(v);
}

static void sheet_corners_are_recorded_where_the_sheet_is(void **state)
{
	static const struct fx_pose poses[] = {
		{ 6, -4, 3, 70, 0.7, 0.3, -0.2 },
		{ -5, 5, -4, 66, 0.55, -0.8, 0.6 },
		{ 0, 8, 1.5, 78, 0.72, 0, 0 },
	};
	size_t k;

	(void)state;
	for (k = 0; k < HT_ARRAY_LEN(poses); k++) {
		struct fx_camera cam;
		double found[4][2];
		herr e = { 0 };
		PIX *page = white_page(), *photo;
		int i;

		clean_camera(&cam, 1200, 1600);
		if (fx_camera_place(&cam, PAGE_W, PAGE_H, &poses[k], &e) < 0)
			fail_msg("pose %zu: %s", k, e.msg);
		photo = fx_camera_shoot(page, &cam, NULL, &e);
		assert_non_null(photo);
		assert_int_equal(pixGetDepth(photo), 32);
		assert_int_equal(pixGetWidth(photo), 1200);
		assert_int_equal(pixGetHeight(photo), 1600);
		find_sheet(photo, found);
		for (i = 0; i < 4; i++) {
			double d =
			    hypot(found[i][0] - cam.corners[i][0], found[i][1] - cam.corners[i][1]);

			if (d > 0.5 || getenv("TEST_CAMERA_VERBOSE"))
				fprintf(stderr,
					"# pose %zu corner %d: recorded (%.2f, %.2f), found (%.2f, "
					"%.2f)\n",
					k, i, cam.corners[i][0], cam.corners[i][1], found[i][0],
					found[i][1]);
			assert_true(d <= 0.5);
		}
		pixDestroy(&photo);
		pixDestroy(&page);
	}
}

static void perspective_has_the_shape_of_the_pose(void **state)
{
	struct fx_camera cam;
	struct fx_pose pose = { 0, 0, 0, 70, 0.6, 0, 0 };
	herr e = { 0 };
	double c[4][2], left, right, area;

	(void)state;
	clean_camera(&cam, 1500, 2000);
	/* facing the sheet: a centred rectangle of the page's shape and the coverage asked */
	assert_int_equal(fx_camera_place(&cam, PAGE_W, PAGE_H, &pose, &e), 0);
	memcpy(c, cam.corners, sizeof(c));
	assert_true(fabs(c[0][0] - c[3][0]) < 1e-6 && fabs(c[1][0] - c[2][0]) < 1e-6);
	assert_true(fabs(c[0][1] - c[1][1]) < 1e-6 && fabs(c[2][1] - c[3][1]) < 1e-6);
	assert_true(fabs((c[2][1] - c[1][1]) / (c[1][0] - c[0][0]) - (double)PAGE_H / PAGE_W) <
		    1e-3);
	area = (c[1][0] - c[0][0]) * (c[2][1] - c[1][1]);
	assert_true(fabs(area / (1500.0 * 2000) - 0.6) < 1e-6);
	assert_true(fabs((c[0][0] + c[1][0]) / 2 - 750) < 1e-6);
	assert_true(fabs((c[0][1] + c[3][1]) / 2 - 1000) < 1e-6);
	/* turned about the vertical axis: a trapezoid, one side nearer (longer) */
	pose.yaw_deg = 8;
	assert_int_equal(fx_camera_place(&cam, PAGE_W, PAGE_H, &pose, &e), 0);
	left = cam.corners[3][1] - cam.corners[0][1];
	right = cam.corners[2][1] - cam.corners[1][1];
	assert_true(fabs(cam.corners[0][0] - cam.corners[3][0]) < 1e-6);
	assert_true(fabs(left - right) > 0.03 * left);
	/* a page point maps as the transform of the corners says */
	{
		double x, y;

		fx_camera_map(&cam, PAGE_W, PAGE_H, PAGE_W, PAGE_H, &x, &y);
		assert_true(fabs(x - cam.corners[2][0]) < 1e-6 &&
			    fabs(y - cam.corners[2][1]) < 1e-6);
		/* the centre of the page is off the middle of the trapezoid's diagonal */
		fx_camera_map(&cam, PAGE_W, PAGE_H, PAGE_W / 2.0, PAGE_H / 2.0, &x, &y);
		assert_true(fabs(x - (cam.corners[0][0] + cam.corners[2][0]) / 2) > 1);
	}
	/* too close to fit, and out-of-range poses, are refused */
	pose.coverage = 0.97;
	assert_int_equal(fx_camera_place(&cam, PAGE_W, PAGE_H, &pose, &e), -1);
	assert_non_null(strstr(e.msg, "does not fit"));
	pose.coverage = 0.6;
	pose.pitch_deg = 45;
	assert_int_equal(fx_camera_place(&cam, PAGE_W, PAGE_H, &pose, &e), -1);
}

static void page_points_and_boxes_follow_the_transform(void **state)
{
	static const int pts[][2] = {
		{ 200, 200 }, { 1040, 260 }, { 620, 877 }, { 300, 1500 }, { 1000, 1600 }
	};
	struct fx_pose pose = { 5, -6, 4, 72, 0.75, 0.2, 0.1 };
	struct fx_camera cam;
	struct fx_boxes boxes = { 0 };
	herr e = { 0 };
	PIX *page = white_page(), *photo;
	size_t k;

	(void)state;
	for (k = 0; k < HT_ARRAY_LEN(pts); k++) {
		dot(page, pts[k][0], pts[k][1], 6);
		boxes.box[boxes.n].field = "dot";
		boxes.box[boxes.n].x = pts[k][0] - 6;
		boxes.box[boxes.n].y = pts[k][1] - 6;
		boxes.box[boxes.n].w = boxes.box[boxes.n].h = 13;
		boxes.n++;
	}
	clean_camera(&cam, 1200, 1600);
	assert_int_equal(fx_camera_place(&cam, PAGE_W, PAGE_H, &pose, &e), 0);
	photo = fx_camera_shoot(page, &cam, &boxes, &e);
	assert_non_null(photo);
	for (k = 0; k < HT_ARRAY_LEN(pts); k++) {
		double ex, ey, sx = 0, sy = 0, sw = 0, paper = 0;
		const struct fx_box *b = &boxes.box[k];
		int x, y;

		/* where the map says the dot's centre lands */
		fx_camera_map(&cam, PAGE_W, PAGE_H, pts[k][0] + 0.5, pts[k][1] + 0.5, &ex, &ey);
		/* the centroid of the dot's darkness in the photo, around there */
		paper = lum(photo, (int)ex + 20, (int)ey);
		for (y = (int)ey - 14; y <= (int)ey + 14; y++)
			for (x = (int)ex - 14; x <= (int)ex + 14; x++) {
				double d = paper - lum(photo, x, y);

				if (d > 0) {
					sx += d * (x + 0.5);
					sy += d * (y + 0.5);
					sw += d;
				}
			}
		assert_true(sw > 0);
		assert_true(hypot(sx / sw - ex, sy / sw - ey) < 0.5);
		/* the box holds the dot and is the dot's size in the photo */
		assert_true(b->x <= sx / sw && sx / sw <= b->x + b->w);
		assert_true(b->y <= sy / sw && sy / sw <= b->y + b->h);
		{
			double side =
			    13 * fx_camera_scale(&cam, PAGE_W, PAGE_H, pts[k][0], pts[k][1]);

			assert_true(b->w >= side && b->w <= side * 1.2 + 3);
			assert_true(b->h >= side && b->h <= side * 1.2 + 3);
		}
	}
	pixDestroy(&photo);
	pixDestroy(&page);
}

/* the share of a box's pixels that glare brightened by 35% or more of the way to white */
static double washed(PIX *with, PIX *without, const struct fx_box *b)
{
	int x, y, n = 0, hit = 0;

	for (y = b->y; y < b->y + b->h; y++)
		for (x = b->x; x < b->x + b->w; x++) {
			double a = lum(without, x, y), g = lum(with, x, y);

			n++;
			if (a < 250 && (g - a) / (255 - a) >= 0.35)
				hit++;
		}
	return n ? (double)hit / n : 0;
}

static void glare_spares_the_values(void **state)
{
	struct fx_pose pose = { 3, 2, -2, 70, 0.8, 0, 0 };
	struct fx_boxes boxes = { 0 }, boxes2;
	int placed = 0, seed;

	(void)state;
	/* six "values" down the left half of the page */
	for (int i = 0; i < 6; i++) {
		struct fx_box *b = &boxes.box[boxes.n++];

		b->field = "value";
		b->x = 150;
		b->y = 250 + 220 * i;
		b->w = 500;
		b->h = 40;
	}
	for (seed = 1; seed <= 6; seed++) {
		struct fx_camera cam, plain;
		herr e = { 0 };
		PIX *page = white_page(), *with, *without;
		int i;

		for (i = 0; i < boxes.n; i++)
			pixRasterop(page, boxes.box[i].x, boxes.box[i].y, boxes.box[i].w,
				    boxes.box[i].h, PIX_CLR, NULL, 0, 0);
		clean_camera(&cam, 900, 1200);
		cam.ink = 0.8;
		cam.seed = (uint64_t)seed;
		assert_int_equal(fx_camera_place(&cam, PAGE_W, PAGE_H, &pose, &e), 0);
		plain = cam;
		cam.glare = 2;
		boxes2 = boxes;
		with = fx_camera_shoot(page, &cam, &boxes2, &e);
		without = fx_camera_shoot(page, &plain, NULL, &e);
		assert_non_null(with);
		assert_non_null(without);
		assert_int_equal(plain.glare, 0);
		assert_true(cam.glare >= 0 && cam.glare <= 2);
		placed += cam.glare;
		for (i = 0; i < boxes2.n; i++)
			assert_true(washed(with, without, &boxes2.box[i]) <= 0.2);
		/* the glare is there: the photos differ */
		if (cam.glare) {
			l_int32 same = 1;

			pixEqual(with, without, &same);
			assert_false(same);
		}
		pixDestroy(&with);
		pixDestroy(&without);
		pixDestroy(&page);
	}
	assert_true(placed >= 3);
}

static void photos_follow_the_seed(void **state)
{
	static const char *const names[FX_BACKDROPS] = { "wood", "fabric", "dark", "light" };
	struct fx_pose pose = { 4, 4, 2, 70, 0.6, 0.5, -0.5 };
	enum fx_backdrop b;

	(void)state;
	for (b = 0; b < FX_BACKDROPS; b++) {
		struct fx_camera cam, again;
		herr e = { 0 };
		PIX *page = white_page(), *p1, *p2, *p3;
		l_int32 same = 0;

		memset(&cam, 0, sizeof(cam));
		cam.frame_w = 480;
		cam.frame_h = 640;
		cam.backdrop = b;
		cam.objects = 3;
		cam.light = 0.6;
		cam.vignette = 0.4;
		cam.glare = 1;
		cam.blur = 0.8;
		cam.noise = 4;
		cam.sharpen = 0.5;
		cam.jpeg_quality = 80;
		cam.dpi_tag = 72;
		cam.seed = 7;
		assert_int_equal(fx_camera_place(&cam, PAGE_W, PAGE_H, &pose, &e), 0);
		again = cam;
		p1 = fx_camera_shoot(page, &cam, NULL, &e);
		p2 = fx_camera_shoot(page, &again, NULL, &e);
		again = cam;
		again.seed = 8;
		p3 = fx_camera_shoot(page, &again, NULL, &e);
		assert_non_null(p1);
		assert_non_null(p2);
		assert_non_null(p3);
		assert_string_equal(fx_backdrop_name(b), names[b]);
		assert_int_equal(pixGetXRes(p1), 72);
		pixEqual(p1, p2, &same);
		assert_true(same);
		pixEqual(p1, p3, &same);
		assert_false(same);
		pixDestroy(&p1);
		pixDestroy(&p2);
		pixDestroy(&p3);
		pixDestroy(&page);
	}
}

/* the JFIF header: units (0: aspect ratio only, 1: dots per inch) and density */
static void jfif_density(const char *path, int *units, int *xd)
{
	unsigned char h[20];
	FILE *f = fopen(path, "rb");

	assert_non_null(f);
	assert_int_equal(fread(h, 1, sizeof(h), f), sizeof(h));
	fclose(f);
	assert_true(h[0] == 0xff && h[1] == 0xd8 && h[2] == 0xff && h[3] == 0xe0);
	assert_memory_equal(h + 6, "JFIF", 5);
	*units = h[13];
	*xd = h[14] << 8 | h[15];
}

static void photo_is_a_jpeg_without_a_tag_or_with_72_dpi(void **state)
{
	char dir[] = "/tmp/test_camera.XXXXXX", *path;
	struct fx_pose pose = { 2, 3, 1, 70, 0.7, 0, 0 };
	struct fx_camera cam;
	herr e = { 0 };
	PIX *page = white_page(), *photo, *back;
	int units, xd, tag;

	(void)state;
	assert_non_null(mkdtemp(dir));
	path = xasprintf("%s/photo.jpg", dir);
	clean_camera(&cam, 400, 520);
	assert_int_equal(fx_camera_place(&cam, PAGE_W, PAGE_H, &pose, &e), 0);
	photo = fx_camera_shoot(page, &cam, NULL, &e);
	assert_non_null(photo);
	for (tag = 0; tag <= 72; tag += 72) {
		assert_int_equal(fx_write_jpeg(path, photo, 77, tag, &e), 0);
		jfif_density(path, &units, &xd);
		back = pixRead(path);
		assert_non_null(back);
		assert_int_equal(pixGetInputFormat(back), IFF_JFIF_JPEG);
		assert_int_equal(pixGetDepth(back), 32);
		assert_int_equal(pixGetWidth(back), 400);
		if (tag) {
			assert_int_equal(units, 1);
			assert_int_equal(xd, 72);
			assert_int_equal(pixGetXRes(back), 72);
		} else {
			assert_int_equal(units, 0);
			assert_int_equal(pixGetXRes(back), 0);
		}
		pixDestroy(&back);
	}
	/* out of range: refused, nothing left behind */
	assert_int_equal(fx_write_jpeg(path, photo, 0, 0, &e), -1);
	unlink(path);
	assert_int_equal(rmdir(dir), 0);
	free(path);
	pixDestroy(&photo);
	pixDestroy(&page);
}

static void security_paper_is_coloured_and_keeps_the_ink(void **state)
{
	herr e = { 0 };
	PIX *page = white_page(), *sec, *sec2;
	double sum = 0, sum2 = 0, chroma = 0;
	int x, y, n = 0, ink_max = 0;
	l_int32 same = 1;

	(void)state;
	pixRasterop(page, 300, 300, 400, 60, PIX_CLR, NULL, 0, 0);
	sec = fx_security_background(page, 3, &e);
	sec2 = fx_security_background(page, 4, &e);
	assert_non_null(sec);
	assert_non_null(sec2);
	assert_int_equal(pixGetDepth(sec), 32);
	assert_int_equal(pixGetXRes(sec), 150);
	/* the ink stays black */
	for (y = 300; y < 360; y++)
		for (x = 300; x < 700; x++) {
			l_int32 r, g, b;

			pixGetRGBPixel(sec, x, y, &r, &g, &b);
			ink_max = r > ink_max ? r : g > ink_max ? g : b > ink_max ? b : ink_max;
		}
	assert_true(ink_max <= 8);
	/* the paper: light, tinted, patterned */
	for (y = 400; y < 1700; y += 3)
		for (x = 100; x < 1140; x += 3) {
			l_int32 r, g, b, hi, lo;
			double l;

			pixGetRGBPixel(sec, x, y, &r, &g, &b);
			hi = r > g ? (r > b ? r : b) : (g > b ? g : b);
			lo = r < g ? (r < b ? r : b) : (g < b ? g : b);
			l = (r + g + b) / 3.0;
			sum += l;
			sum2 += l * l;
			chroma += hi - lo;
			n++;
		}
	assert_true(sum / n > 215);
	assert_true(chroma / n > 6);
	assert_true(sqrt(sum2 / n - (sum / n) * (sum / n)) > 2);
	pixEqual(sec, sec2, &same);
	assert_false(same);
	/* and the camera takes it in colour */
	{
		struct fx_pose pose = { 2, 3, 1, 70, 0.8, 0, 0 };
		struct fx_camera cam;
		PIX *photo;
		l_int32 r, g, b;

		clean_camera(&cam, 600, 800);
		assert_int_equal(fx_camera_place(&cam, PAGE_W, PAGE_H, &pose, &e), 0);
		photo = fx_camera_shoot(sec, &cam, NULL, &e);
		assert_non_null(photo);
		pixGetRGBPixel(photo, 300, 600, &r, &g, &b);
		assert_true(r > 150);
		pixDestroy(&photo);
	}
	pixDestroy(&sec);
	pixDestroy(&sec2);
	pixDestroy(&page);
}

static void colour_scan_moves_the_boxes_as_a_grey_one(void **state)
{
	struct fx_scan scan = { 0 };
	struct fx_boxes grey = { 0 }, colour;
	herr e = { 0 };
	PIX *page = white_page(), *sec, *g, *c;

	(void)state;
	grey.box[0] = (struct fx_box){ "value", 300, 400, 500, 50 };
	grey.n = 1;
	colour = grey;
	scan.skew_deg = 2;
	scan.noise = 0.3;
	scan.seed = 9;
	sec = fx_security_background(page, 1, &e);
	assert_non_null(sec);
	g = fx_scan_page(page, &scan, &grey, &e);
	c = fx_scan_page(sec, &scan, &colour, &e);
	assert_non_null(g);
	assert_non_null(c);
	assert_int_equal(pixGetDepth(g), 8);
	assert_int_equal(pixGetDepth(c), 32);
	assert_int_equal(pixGetXRes(c), 150);
	assert_memory_equal(&grey.box[0], &colour.box[0], sizeof(grey.box[0]));
	assert_int_not_equal(grey.box[0].y, 400);
	pixDestroy(&g);
	pixDestroy(&c);
	pixDestroy(&sec);
	pixDestroy(&page);
}

static void x_height_follows_the_font_and_resolution(void **state)
{
	struct fx_style st = { .font = "Liberation Serif", .size_pt = 12, .dpi = 200 };
	herr e = { 0 };
	double a, b;

	(void)state;
	a = fx_style_x_height(&st, &e);
	st.dpi = 400;
	b = fx_style_x_height(&st, &e);
	/* Liberation Serif's x-height is 0.46 em: 12 pt at 400 dpi, 30.6 pixels */
	assert_true(b > 28 && b < 33);
	assert_true(fabs(b / a - 2) < 0.06);
	st.size_pt = 24;
	assert_true(fabs(fx_style_x_height(&st, &e) / b - 2) < 0.06);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sheet_corners_are_recorded_where_the_sheet_is),
		cmocka_unit_test(perspective_has_the_shape_of_the_pose),
		cmocka_unit_test(page_points_and_boxes_follow_the_transform),
		cmocka_unit_test(glare_spares_the_values),
		cmocka_unit_test(photos_follow_the_seed),
		cmocka_unit_test(photo_is_a_jpeg_without_a_tag_or_with_72_dpi),
		cmocka_unit_test(security_paper_is_coloured_and_keeps_the_ink),
		cmocka_unit_test(colour_scan_moves_the_boxes_as_a_grey_one),
		cmocka_unit_test(x_height_follows_the_font_and_resolution),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
