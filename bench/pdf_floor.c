/* The floor of report.pdf under cairo: what cairo alone spends on the
 * drawing operations of one report.
 *
 *   pdf_floor TRACE [RUNS]
 *
 * TRACE is a cairo-trace recording (cairo-perf-utils) of juesuan writing
 * one report.pdf: every cairo call the renderer made — the same fonts,
 * glyphs, glyph runs, paths and pages — and none of pango's or juesuan's
 * work (layout, shaping, measuring). It is replayed RUNS times (default
 * 10) in one process with cairo's script interpreter, each time into PDF
 * surfaces written to memory and thrown away, and the CPU time of each
 * replay is printed: the first (fonts and glyphs loaded for the first
 * time, as by the first PDF of a process or thread) and the median of the
 * others (as by every further PDF of a batch's thread). The replay also
 * parses the trace's text, so this is an upper bound of cairo's share.
 * bench/pdf_floor.sh records the trace and prints it beside juesuan's own
 * time for the same department. */
#include <cairo-pdf.h>
#include <cairo-script-interpreter.h>
#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static cairo_status_t sink(void *closure, const unsigned char *data, unsigned int len)
{
    (void)data;
    *(size_t *)closure += len;
    return CAIRO_STATUS_SUCCESS;
}

/* Every surface of the trace (juesuan's two passes: a probe and the
 * document) as a PDF surface written to the sink. */
static cairo_surface_t *surface_create(void *closure, cairo_content_t content, double width, double height,
                                       long uid)
{
    (void)content;
    (void)uid;
    return cairo_pdf_surface_create_for_stream(sink, closure, width, height);
}

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: pdf_floor TRACE [RUNS]\n");
        return 2;
    }
    int runs = argc == 3 ? atoi(argv[2]) : 10;
    if (runs < 2 || runs > 10000) {
        fprintf(stderr, "pdf_floor: RUNS must be 2 to 10000\n");
        return 2;
    }
    double *t = calloc((size_t)runs, sizeof *t);
    if (!t)
        return 1;
    size_t bytes = 0;
    for (int r = 0; r < runs; r++) {
        cairo_script_interpreter_t *csi = cairo_script_interpreter_create();
        cairo_script_interpreter_hooks_t hooks = {.closure = &bytes, .surface_create = surface_create};
        cairo_script_interpreter_install_hooks(csi, &hooks);
        bytes = 0;
        double t0 = cpu_seconds();
        cairo_status_t st = cairo_script_interpreter_run(csi, argv[1]);
        cairo_script_interpreter_finish(csi);
        t[r] = cpu_seconds() - t0;
        st = st ? st : cairo_script_interpreter_destroy(csi);
        if (st) {
            fprintf(stderr, "pdf_floor: %s: %s\n", argv[1], cairo_status_to_string(st));
            free(t);
            return 1;
        }
    }
    double first = t[0];
    qsort(t + 1, (size_t)runs - 1, sizeof *t, cmp_double);
    printf("cairo alone (replay of %s, %zu bytes of PDF): first %.1f ms, then median %.1f ms (min %.1f, max %.1f) "
           "CPU over %d runs\n",
           argv[1], bytes, 1000 * first, 1000 * t[1 + (runs - 1) / 2], 1000 * t[1], 1000 * t[runs - 1], runs - 1);
    free(t);
    return 0;
}
