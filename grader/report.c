/*
 * report.c - mdriver's output (see report.h).
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "report.h"
#include "sandbox.h"
#include "xml.h"

static bool counted(const row_t *r)
{
    return r->parsed && r->r.status == RUN_OK && r->weight > 0;
}

static double util_of(const row_t *r)
{
    return r->r.checked.heap_size ? (double)r->r.checked.peak_live / r->r.checked.heap_size : 0;
}

static double bound_of(const row_t *r)
{
    return r->r.checked.peak_layout ? (double)r->r.checked.peak_live / r->r.checked.peak_layout : 0;
}

summary_t summarize(const row_t *rows, unsigned n, const run_params_t *rp)
{
    summary_t s = { .traces = n };
    bool timed[WHO_COUNT] = { true, true, true };
    for (unsigned i = 0; i < n; i++) {
        const row_t *r = &rows[i];
        if (r->parsed && r->r.status == RUN_OK)
            s.valid++;
        if (!counted(r))
            continue;
        s.counted++;
        s.ops += r->ops;
        if (r->r.checked.peak_live > 0) {   /* 0 / 0 says nothing about space */
            double u = util_of(r), b = bound_of(r);
            s.spaced++;
            s.util += u;
            s.bound += b;
            s.util_of_bound += u / b;
        }
        for (int w = 0; w < WHO_COUNT; w++) {
            s.secs[w] += r->r.secs[w];
            if (r->r.secs[w] <= 0)
                timed[w] = false;
        }
    }
    if (s.spaced) {
        s.util /= s.spaced;
        s.bound /= s.spaced;
        s.util_of_bound /= s.spaced;
    }
    for (int w = 0; w < WHO_COUNT; w++)
        if (!timed[w] || !s.counted)
            s.secs[w] = 0;
    if (s.secs[WHO_STUDENT] > 0) {
        if (s.secs[WHO_REFERENCE] > 0)
            s.ratio = s.secs[WHO_REFERENCE] / s.secs[WHO_STUDENT];
        if (s.secs[WHO_LIBC] > 0)
            s.libc_ratio = s.secs[WHO_LIBC] / s.secs[WHO_STUDENT];
    }
    /* Without a reference, throughput is judged against the C library. */
    double thru = rp->reference ? s.ratio : s.libc_ratio;
    const policy_t *p = rp->policy;
    double space_score = p->util_of_bound ? s.util_of_bound : s.util;
    s.perfidx = policy_perfidx(p, space_score, thru, &s.space, &s.speed);
    if (s.valid < s.traces) {   /* an incorrect allocator scores no performance */
        s.perfidx = s.space = s.speed = 0;
    }
    return s;
}

void report_params(FILE *out, const run_params_t *rp, unsigned ntraces)
{
    const policy_t *p = rp->policy;
    fprintf(out, "# mdriver seed=%llu traces=%u check_heap=%s timing=%s rounds=%u min_cpu=%gs "
            "timeout=%gs reference=%s libc=%s policy=%s\n",
            rp->seed, ntraces, rp->check_heap ? "yes" : "no", rp->timing ? "yes" : "no",
            p->rounds, p->min_cpu, p->timeout, rp->reference ? "yes" : "no",
            rp->libc ? "yes" : "no", rp->policy_path ? rp->policy_path : "default");
}

void report_header(FILE *out, const run_params_t *rp)
{
    fprintf(out, "%-22s %7s %6s %6s %8s %8s %10s %8s %7s", "trace", "valid", "util", "bound",
            "vs bound", "ops", "secs", "Kops", "vs ref");
    if (rp->libc)
        fprintf(out, " %9s %7s", "libc Kops", "vs libc");
    fputc('\n', out);
}

static void kops_cell(FILE *out, size_t ops, double secs, int width)
{
    if (secs > 0)
        fprintf(out, " %*.0f", width, ops / secs / 1000);
    else
        fprintf(out, " %*s", width, "-");
}

static void ratio_cell(FILE *out, double num, double den)
{
    if (num > 0 && den > 0)
        fprintf(out, " %6.2fx", num / den);
    else
        fprintf(out, " %7s", "-");
}

void report_row(FILE *out, const row_t *row, const run_params_t *rp, int verbose)
{
    const trace_report_t *r = &row->r;
    bool ok = row->parsed && r->status == RUN_OK;
    const char *valid = !row->parsed ? "parse" : ok ? "yes" : run_status_name(r->status);
    fprintf(out, "%-22.22s %7s", row->name, valid);
    if (ok && r->checked.peak_live)
        fprintf(out, " %5.1f%% %5.1f%% %7.1f%%", 100 * util_of(row), 100 * bound_of(row),
                100 * util_of(row) / bound_of(row));
    else
        fprintf(out, " %6s %6s %8s", "-", "-", "-");
    fprintf(out, " %8zu", row->ops);
    if (ok && r->secs[WHO_STUDENT] > 0)
        fprintf(out, " %10.6f", r->secs[WHO_STUDENT]);
    else
        fprintf(out, " %10s", "-");
    kops_cell(out, row->ops, ok ? r->secs[WHO_STUDENT] : 0, 8);
    ratio_cell(out, r->secs[WHO_REFERENCE], ok ? r->secs[WHO_STUDENT] : 0);
    if (rp->libc) {
        kops_cell(out, row->ops, r->secs[WHO_LIBC], 9);
        ratio_cell(out, r->secs[WHO_LIBC], ok ? r->secs[WHO_STUDENT] : 0);
    }
    if (row->weight <= 0 && row->parsed)
        fprintf(out, "  (weight 0: not counted)");
    fputc('\n', out);
    if (verbose && row->parsed && r->checked.heap_size)
        fprintf(out, "    peak live %zu B, layout minimum %zu B, heap %zu B; timed %u/%u/%u reps "
                "(student/reference/libc)\n",
                r->checked.peak_live, r->checked.peak_layout, r->checked.heap_size,
                r->reps[WHO_STUDENT], r->reps[WHO_REFERENCE], r->reps[WHO_LIBC]);
}

void report_summary(FILE *out, const summary_t *s, const run_params_t *rp)
{
    fprintf(out, "%-22s %7s", "total", "");
    if (s->spaced)
        fprintf(out, " %5.1f%% %5.1f%% %7.1f%%", 100 * s->util, 100 * s->bound,
                100 * s->util_of_bound);
    else
        fprintf(out, " %6s %6s %8s", "-", "-", "-");
    fprintf(out, " %8zu", s->ops);
    if (s->secs[WHO_STUDENT] > 0)
        fprintf(out, " %10.6f", s->secs[WHO_STUDENT]);
    else
        fprintf(out, " %10s", "-");
    kops_cell(out, s->ops, s->secs[WHO_STUDENT], 8);
    ratio_cell(out, s->secs[WHO_REFERENCE], s->secs[WHO_STUDENT]);
    if (rp->libc) {
        kops_cell(out, s->ops, s->secs[WHO_LIBC], 9);
        ratio_cell(out, s->secs[WHO_LIBC], s->secs[WHO_STUDENT]);
    }
    fputc('\n', out);
    if (rp->timing)
        fprintf(out, "Perf index = %.1f (util) + %.1f (thru) = %.1f/100\n", s->space, s->speed,
                s->perfidx);
    else
        fprintf(out, "Perf index = %.1f (util) + not measured (thru, --no-timing)\n", s->space);
    fprintf(out, "mdriver: %u of %u traces valid; util %.1f%% (%.1f%% of the layout bound)",
            s->valid, s->traces, 100 * s->util, 100 * s->util_of_bound);
    if (s->ratio > 0)
        fprintf(out, "; throughput %.2fx the reference", s->ratio);
    if (s->libc_ratio > 0)
        fprintf(out, "; %.2fx the C library", s->libc_ratio);
    fprintf(out, "; perfidx %.1f\n", s->perfidx);
}

void report_grades(FILE *out, const summary_t *s)
{
    fprintf(out, "correct:%u\n", s->valid);
    fprintf(out, "perfidx:%.0f\n", s->perfidx);
}

/* --- The picture ---------------------------------------------------------- */

#include <math.h>

#define SVG_ROW 20          /* pixels per trace */
#define SVG_TOP 80          /* title, legend and axis labels above the rows */
#define SVG_NAME_X 8        /* trace names */
#define SVG_SPACE_X 200     /* the space panel: 0 to 100 % */
#define SVG_SPACE_W 320
#define SVG_THRU_X 680      /* the throughput panel: 1/8x to 8x, log scale */
#define SVG_THRU_W 240
#define SVG_WIDTH 1000
#define SVG_THRU_MAX 3.0    /* log2 of the ratio at the panel's ends */

/* The x of ratio on the throughput panel, clamped to its ends. */
static double svg_thru_x(double ratio)
{
    double l = log2(ratio);
    l = l < -SVG_THRU_MAX ? -SVG_THRU_MAX : l > SVG_THRU_MAX ? SVG_THRU_MAX : l;
    return SVG_THRU_X + SVG_THRU_W / 2.0 + l / SVG_THRU_MAX * (SVG_THRU_W / 2.0);
}

/* One row: name, util in bound, the ratio's bar from 1x. */
static void svg_row(FILE *out, double y, const char *name, bool ok, const char *why,
                    double util, double bound, double ratio, bool total)
{
    fprintf(out, "<g class=\"%s\">\n<text x=\"%d\" y=\"%.0f\"%s>", total ? "total" : "trace",
            SVG_NAME_X, y + 14, total ? " font-weight=\"bold\"" : "");
    xml_text(out, name);
    fputs("</text>\n", out);
    if (!ok) {
        fprintf(out, "<text x=\"%d\" y=\"%.0f\" fill=\"#b00020\">", SVG_SPACE_X, y + 14);
        xml_text(out, why);
        fputs("</text>\n</g>\n", out);
        return;
    }
    if (bound > 0) {
        fprintf(out, "<rect x=\"%d\" y=\"%.0f\" width=\"%.1f\" height=\"16\" fill=\"#d0d7e2\">"
                "<title>bound %.1f%%</title></rect>\n",
                SVG_SPACE_X, y + 2, bound * SVG_SPACE_W, 100 * bound);
        fprintf(out, "<rect x=\"%d\" y=\"%.0f\" width=\"%.1f\" height=\"10\" fill=\"#2f5f9e\">"
                "<title>util %.1f%%</title></rect>\n",
                SVG_SPACE_X, y + 5, util * SVG_SPACE_W, 100 * util);
        fprintf(out, "<text x=\"%d\" y=\"%.0f\">%.1f%% of %.1f%%</text>\n",
                SVG_SPACE_X + SVG_SPACE_W + 8, y + 14, 100 * util, 100 * bound);
    }
    if (ratio > 0) {
        double one = svg_thru_x(1), x = svg_thru_x(ratio);
        fprintf(out, "<rect x=\"%.1f\" y=\"%.0f\" width=\"%.1f\" height=\"10\" fill=\"%s\">"
                "<title>%.2fx</title></rect>\n",
                x < one ? x : one, y + 5, fabs(x - one), ratio < 1 ? "#c0702a" : "#3d8b3d", ratio);
        fprintf(out, "<text x=\"%d\" y=\"%.0f\">%.2fx</text>\n", SVG_THRU_X + SVG_THRU_W + 6,
                y + 14, ratio);
    }
    fputs("</g>\n", out);
}

void report_svg(FILE *out, const row_t *rows, unsigned n, const summary_t *s,
                const run_params_t *rp)
{
    /* Throughput against the reference, else the C library. */
    int base = rp->reference ? WHO_REFERENCE : WHO_LIBC;
    double height = SVG_TOP + (n + 1) * SVG_ROW + 16;
    fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%.0f\" "
            "viewBox=\"0 0 %d %.0f\" font-family=\"monospace\" font-size=\"12\">\n"
            "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
            SVG_WIDTH, height, SVG_WIDTH, height);
    fprintf(out, "<text x=\"%d\" y=\"18\" font-size=\"14\" font-weight=\"bold\">mdriver: "
            "%u of %u traces valid; util %.1f%% (%.1f%% of the layout bound)", SVG_NAME_X,
            s->valid, s->traces, 100 * s->util, 100 * s->util_of_bound);
    fprintf(out, "</text>\n<text x=\"%d\" y=\"36\" font-size=\"14\">perfidx %.1f",
            SVG_NAME_X, s->perfidx);
    if (s->ratio > 0)
        fprintf(out, "; throughput %.2fx the reference", s->ratio);
    if (s->libc_ratio > 0)
        fprintf(out, "; %.2fx the C library", s->libc_ratio);
    fputs("</text>\n", out);
    fprintf(out, "<text x=\"%d\" y=\"60\">space: utilization (dark) inside the layout's "
            "bound (light)</text>\n", SVG_SPACE_X);
    if (rp->timing)
        fprintf(out, "<text x=\"%d\" y=\"60\">throughput / %s's (log scale)</text>\n",
                SVG_THRU_X, rp->reference ? "the reference" : "the C library");
    else
        fprintf(out, "<text x=\"%d\" y=\"60\">throughput: not measured (--no-timing)"
                "</text>\n", SVG_THRU_X);
    double bottom = SVG_TOP + (n + 1) * SVG_ROW;
    for (int pct = 0; pct <= 100; pct += 25) {
        double x = SVG_SPACE_X + pct / 100.0 * SVG_SPACE_W;
        fprintf(out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"#e4e4e4\"/>"
                "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#666\">%d%%</text>\n",
                x, SVG_TOP, x, bottom, x, SVG_TOP - 4, pct);
    }
    static const char *const ticks[] = { "1/8", "1/4", "1/2", "1", "2", "4", "8" };
    if (rp->timing)
        for (int l = -3; l <= 3; l++) {
            double x = svg_thru_x(pow(2, l));
            fprintf(out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"%s\"/>"
                    "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#666\">%sx</text>\n",
                    x, SVG_TOP, x, bottom, l ? "#e4e4e4" : "#888", x, SVG_TOP - 4, ticks[l + 3]);
        }
    for (unsigned i = 0; i < n; i++) {
        const row_t *row = &rows[i];
        const trace_report_t *r = &row->r;
        bool ok = row->parsed && r->status == RUN_OK;
        char why[96];
        snprintf(why, sizeof why, "invalid: %s", row->parsed ? run_status_name(r->status)
                                                             : "the trace has errors");
        double ratio = ok && r->secs[WHO_STUDENT] > 0 && r->secs[base] > 0
                           ? r->secs[base] / r->secs[WHO_STUDENT] : 0;
        svg_row(out, SVG_TOP + i * SVG_ROW, row->name, ok, why,
                ok && r->checked.peak_live ? util_of(row) : 0,
                ok && r->checked.peak_live ? bound_of(row) : 0, ratio, false);
    }
    svg_row(out, SVG_TOP + n * SVG_ROW, "total (mean)", true, "", s->util, s->bound,
            rp->reference ? s->ratio : s->libc_ratio, true);
    fputs("</svg>\n", out);
}

static const char *who_key[WHO_COUNT] = { "student", "reference", "libc" };

int report_json(FILE *out, const row_t *rows, unsigned n, const summary_t *s,
                const run_params_t *rp)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON *params = cJSON_AddObjectToObject(doc, "params");
    cJSON_AddNumberToObject(params, "seed", (double)rp->seed);
    cJSON_AddBoolToObject(params, "check_heap", rp->check_heap);
    cJSON_AddBoolToObject(params, "timing", rp->timing);
    cJSON_AddBoolToObject(params, "reference", rp->reference);
    cJSON_AddBoolToObject(params, "libc", rp->libc);
    cJSON_AddStringToObject(params, "policy", rp->policy_path ? rp->policy_path : "default");
    cJSON *traces = cJSON_AddArrayToObject(doc, "traces");
    for (unsigned i = 0; i < n; i++) {
        const row_t *row = &rows[i];
        const trace_report_t *r = &row->r;
        bool ok = row->parsed && r->status == RUN_OK;
        cJSON *t = cJSON_CreateObject();
        cJSON_AddStringToObject(t, "name", row->name);
        cJSON_AddStringToObject(t, "path", row->path);
        cJSON_AddStringToObject(t, "status", row->parsed ? run_status_name(r->status) : "parse");
        cJSON_AddBoolToObject(t, "valid", ok);
        if (!ok)
            cJSON_AddStringToObject(t, "message", row->parsed ? r->message
                                                  : row->errors && *row->errors ? row->errors
                                                                                : "the trace has errors");
        if (row->parsed && r->checked.error_line)
            cJSON_AddNumberToObject(t, "line", r->checked.error_line);
        if (row->parsed && r->status == RUN_FORBIDDEN && r->syscall >= 0) {
            char name[SANDBOX_NAME_MAX];
            cJSON_AddStringToObject(t, "syscall", sandbox_syscall_name(r->syscall, name, sizeof name));
        }
        cJSON_AddNumberToObject(t, "weight", row->weight);
        cJSON_AddNumberToObject(t, "ops", (double)row->ops);
        if (row->parsed && r->check_wall > 0)
            cJSON_AddNumberToObject(t, "check_secs", r->check_wall);
        if (ok) {
            if (r->checked.peak_live) {
                cJSON_AddNumberToObject(t, "util", util_of(row));
                cJSON_AddNumberToObject(t, "bound", bound_of(row));
            }
            cJSON_AddNumberToObject(t, "peak_live", (double)r->checked.peak_live);
            cJSON_AddNumberToObject(t, "peak_layout", (double)r->checked.peak_layout);
            cJSON_AddNumberToObject(t, "heap_size", (double)r->checked.heap_size);
            cJSON *secs = cJSON_AddObjectToObject(t, "secs");
            for (int w = 0; w < WHO_COUNT; w++)
                if (r->secs[w] > 0)
                    cJSON_AddNumberToObject(secs, who_key[w], r->secs[w]);
        }
        cJSON_AddItemToArray(traces, t);
    }
    cJSON *tot = cJSON_AddObjectToObject(doc, "summary");
    cJSON_AddNumberToObject(tot, "traces", s->traces);
    cJSON_AddNumberToObject(tot, "valid", s->valid);
    cJSON_AddNumberToObject(tot, "util", s->util);
    cJSON_AddNumberToObject(tot, "bound", s->bound);
    cJSON_AddNumberToObject(tot, "util_of_bound", s->util_of_bound);
    cJSON_AddNumberToObject(tot, "ops", (double)s->ops);
    if (s->ratio > 0)
        cJSON_AddNumberToObject(tot, "ratio_reference", s->ratio);
    if (s->libc_ratio > 0)
        cJSON_AddNumberToObject(tot, "ratio_libc", s->libc_ratio);
    cJSON_AddNumberToObject(tot, "perfidx_util", s->space);
    cJSON_AddNumberToObject(tot, "perfidx_thru", s->speed);
    cJSON_AddNumberToObject(tot, "perfidx", s->perfidx);
    char *text = cJSON_Print(doc);
    cJSON_Delete(doc);
    if (!text)
        return -1;
    fprintf(out, "%s\n", text);
    cJSON_free(text);
    return 0;
}
