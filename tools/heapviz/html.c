/*
 * html.c - the heap map: one self-contained HTML page, well-formed XML
 * (xmllint reads it), the same bytes for the same run.
 *
 * The page carries the blocks' lives as data (a script element of JSON)
 * and the script that draws them (heapviz.js, built in): the blocks on a
 * canvas, where what is smaller than a pixel is blended into it; the axes,
 * the legend, the highlighted block and the curves of utilization and the
 * layout bound in inline SVG. The numbers are plain arrays, every block's
 * start as the difference from the one before and its offsets in words,
 * which keeps a trace of 150 000 operations to a few megabytes.
 */
#define _GNU_SOURCE
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "heapviz.h"
#include "replay.h"   /* the grader's: layout_block_size */
#include "xml.h"

/* The script and the style sheet, made of heapviz.js and heapviz.css. */
static const char script[] =
#include "heapviz.js.inc"
    ;
static const char style[] =
#include "heapviz.css.inc"
    ;

/* put_json - a JSON text inside a script element: <, > and & escaped, so
 * that neither an HTML nor an XML reader sees markup in it. */
static void put_json(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '<')
            fputs("\\u003c", out);
        else if (*s == '>')
            fputs("\\u003e", out);
        else if (*s == '&')
            fputs("\\u0026", out);
        else
            fputc(*s, out);
    }
}

/* --- The figures of the run -------------------------------------------------- */

typedef struct figures {
    uint64_t peak_live, peak_layout, heap;
} figures_t;

/* figures - the peak of live requested bytes and of their layout blocks,
 * and the heap's size at the end, over the ops that ran. */
static figures_t figures(const hv_run_t *run)
{
    figures_t f = { 0, 0, run->ops_done ? run->heap[run->ops_done - 1] : run->heap_init };
    const trace_t *t = run->trace;
    size_t *req = calloc(t->num_ids ? t->num_ids : 1, sizeof *req);
    if (!req)
        return f;
    uint64_t live = 0, layout = 0;
    for (uint32_t i = 0; i < run->ops_done; i++) {
        const trace_op_t *op = &t->ops[i];
        if (op->id == TRACE_NO_ID)
            continue;
        size_t *r = &req[op->id];
        if (*r) {
            live -= *r;
            layout -= layout_block_size(*r);
            *r = 0;
        }
        if (op->kind != OP_FREE && op->size) {
            *r = op->size;
            live += op->size;
            layout += layout_block_size(op->size);
        }
        if (live > f.peak_live)
            f.peak_live = live;
        if (layout > f.peak_layout)
            f.peak_layout = layout;
    }
    free(req);
    return f;
}

/* --- The data ----------------------------------------------------------------- */

/* meta - what the page says of the run, as JSON. */
static char *meta(const hv_run_t *run, const figures_t *f)
{
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "trace", run->trace->name);
    cJSON_AddStringToObject(m, "impl", run->impl);
    cJSON_AddNumberToObject(m, "ops", (double)run->trace->num_ops);
    cJSON_AddNumberToObject(m, "done", run->ops_done);
    cJSON_AddNumberToObject(m, "heapInit", (double)run->heap_init);
    cJSON_AddNumberToObject(m, "peakLive", (double)f->peak_live);
    cJSON_AddNumberToObject(m, "peakLayout", (double)f->peak_layout);
    cJSON_AddNumberToObject(m, "heap", (double)f->heap);
    if (run->failure)
        cJSON_AddStringToObject(m, "failure", run->failure);
    if (run->unparsed) {
        cJSON_AddNumberToObject(m, "unparsed", run->unparsed);
        cJSON_AddNumberToObject(m, "firstUnparsed", run->first_unparsed);
        cJSON_AddStringToObject(m, "unparsedWhy", run->unparsed_why);
    }
    cJSON_AddNumberToObject(m, "checkCount", (double)run->check_count);
    cJSON *checks = cJSON_AddArrayToObject(m, "checks");
    for (size_t i = 0; i < run->nchecks; i++) {
        cJSON *c = cJSON_CreateArray();
        cJSON_AddItemToArray(c, cJSON_CreateNumber(run->checks[i].op));
        cJSON_AddItemToArray(c, cJSON_CreateString(run->checks[i].text));
        cJSON_AddItemToArray(checks, c);
    }
    char *s = cJSON_PrintUnformatted(m);
    cJSON_Delete(m);
    return s;
}

/* put_lines - the trace line of every op: line0 when they follow one
 * another, else each as the difference from the one before. */
static void put_lines(FILE *out, const hv_run_t *run)
{
    const trace_op_t *ops = run->trace->ops;
    uint32_t n = run->ops_done;
    bool follow = true;
    for (uint32_t i = 1; i < n && follow; i++)
        follow = ops[i].line == ops[i - 1].line + 1;
    fprintf(out, ",\"line0\":%" PRIu32, run->trace->num_ops ? ops[0].line : 0);
    if (follow)
        return;
    fputs(",\"lines\":[", out);
    for (uint32_t i = 0; i < n; i++)
        fprintf(out, "%s%" PRIu32, i ? "," : "", i ? ops[i].line - ops[i - 1].line : ops[0].line);
    fputc(']', out);
}

/* put_data - the data script's text. */
static void put_data(FILE *out, const hv_run_t *run, const figures_t *f)
{
    char *m = meta(run, f);
    if (!m)
        return;
    size_t len = strlen(m);
    m[len - 1] = '\0';   /* the object stays open for the arrays */
    put_json(out, m);
    free(m);
    put_lines(out, run);
    /* u: [start, end) of the ops after which the heap could not be read */
    fputs(",\"u\":[", out);
    for (size_t i = 0; i < run->nranges; i++)
        fprintf(out, "%s%" PRIu32, i ? "," : "", run->unparsed_ranges[i]);
    fputc(']', out);
    /* heap: [op, size] wherever the size changes */
    fputs(",\"h\":[", out);
    uint64_t last = run->heap_init;
    fprintf(out, "-1,%" PRIu64, last);
    for (uint32_t i = 0; i < run->ops_done; i++)
        if (run->heap[i] != last)
            fprintf(out, ",%" PRIu32 ",%" PRIu64, i, last = run->heap[i]);
    /* a: [start - previous start, length, offset/8, size/8, requested, ID] */
    fputs("],\"a\":[", out);
    uint32_t prev = 0;
    for (size_t i = 0; i < run->nalloc; i++) {
        const hv_alloc_rect_t *a = &run->alloc[i];
        fprintf(out, "%s%" PRIu32 ",%" PRIu32 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu32,
                i ? "," : "", a->start - prev, a->end - a->start, a->off / 8, a->size / 8, a->req,
                a->id);
        prev = a->start;
    }
    /* f: [start - previous start, length, offset/8, size/8], by start */
    fputs("],\"f\":[", out);
    prev = 0;
    for (size_t i = 0; i < run->nfree; i++) {
        const hv_free_rect_t *r = &run->free[i];
        fprintf(out, "%s%" PRIu32 ",%" PRIu32 ",%" PRIu64 ",%" PRIu64, i ? "," : "",
                r->start - prev, r->end - r->start, r->off / 8, r->size / 8);
        prev = r->start;
    }
    fputs("]}", out);
}

/* --- The page ------------------------------------------------------------------ */

static void put_summary(FILE *out, const hv_run_t *run, const figures_t *f)
{
    double util = f->heap ? 100.0 * (double)f->peak_live / (double)f->heap : 0;
    double bound = f->peak_layout ? 100.0 * (double)f->peak_live / (double)f->peak_layout : 0;
    fprintf(out,
            "<p id=\"summary\">%" PRIu32 " of %zu operations; peak of live requested bytes "
            "%" PRIu64 ", heap %" PRIu64 " bytes at the end: utilization %.1f%%, "
            "the layout's bound %.1f%%: %.1f%% of the bound (mdriver's util, bound and "
            "vs bound)</p>\n",
            run->ops_done, run->trace->num_ops, f->peak_live, f->heap, util, bound,
            bound > 0 ? 100 * util / bound : 0);
    if (run->failure) {
        fputs("<p class=\"failure\">The replay stopped: ", out);
        xml_text(out, run->failure);
        fputs("</p>\n", out);
    }
    if (run->unparsed) {
        fprintf(out,
                "<p class=\"notice\">After %" PRIu32 " of the %" PRIu32 " operations, the first "
                "at line %" PRIu32 ", the heap could not be read as blocks of the lecture's layout (",
                run->unparsed, run->ops_done, run->trace->ops[run->first_unparsed].line);
        xml_text(out, run->unparsed_why);
        fputs("): no free block is drawn there, and those operations are marked in "
              "orange above the map.</p>\n", out);
    }
    if (run->check_count)
        fprintf(out,
                "<p class=\"failure\">mm_check_heap complained after %zu of the %" PRIu32
                " operations; %s marked in red above the map (hover over a mark for what it "
                "said).</p>\n",
                run->check_count, run->ops_done,
                run->check_count > run->nchecks ? "the first ones are" : "each is");
}

int html_write(const hv_run_t *run, FILE *out)
{
    figures_t f = figures(run);
    fputs("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n"
          "<meta charset=\"utf-8\"/>\n<title>heap map: ",
          out);
    xml_text(out, run->trace->name);
    fputs("</title>\n<style>\n", out);
    fputs(style, out);
    fputs("</style>\n</head>\n<body>\n<h1>Heap map of ", out);
    xml_text(out, run->trace->name);
    fputs(" <span class=\"impl\">(", out);
    xml_text(out, run->impl);
    fputs(")</span></h1>\n", out);
    put_summary(out, run, &f);
    fputs("<p class=\"help\">Time runs left to right, one step per operation; addresses run "
          "up from the heap's start. Hover over a block for what it is; the wheel zooms "
          "(with Shift: addresses only, with Alt: operations only), dragging pans, a "
          "double click shows it all again.</p>\n"
          "<div id=\"legend\"></div>\n"
          "<div id=\"view\"><canvas id=\"map\" width=\"1000\" height=\"520\"></canvas>"
          "<svg id=\"axes\" xmlns=\"http://www.w3.org/2000/svg\" width=\"1000\" height=\"520\"></svg>"
          "</div>\n"
          "<svg id=\"curves\" xmlns=\"http://www.w3.org/2000/svg\" width=\"1000\" height=\"190\"></svg>\n"
          "<div id=\"tip\"></div>\n<pre id=\"errors\"></pre>\n"
          "<script type=\"application/json\" id=\"data\">",
          out);
    put_data(out, run, &f);
    fputs("</script>\n<script>//<![CDATA[\n", out);
    fputs(script, out);
    fputs("//]]></script>\n</body>\n</html>\n", out);
    return ferror(out) ? -1 : 0;
}
