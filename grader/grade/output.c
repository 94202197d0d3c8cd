/*
 * output.c - the report, results.json, the Autolab line and the CSV row
 * (see output.h).
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "files.h"
#include "output.h"
#include "plan.h"

#define GREEN "\033[32m"
#define RED "\033[31m"
#define BOLD "\033[1m"
#define RESET "\033[0m"

static const char *mark(bool bad, const options_t *o)
{
    if (o->color)
        return bad ? RED "✗" RESET : GREEN "✓" RESET;
    return bad ? "✗" : "✓";
}

/* indent - text with every line after the first indented by pad. */
static void put_indented(FILE *out, const char *text, const char *pad)
{
    for (const char *p = text; *p; p++) {
        fputc(*p, out);
        if (*p == '\n' && p[1])
            fputs(pad, out);
    }
}

static void put_lines(FILE *out, const char *title, const lines_t *l, const options_t *o,
                      bool all)
{
    bool any = false;
    for (size_t i = 0; i < l->n; i++)
        any |= all || l->v[i].bad;
    if (!any)
        return;
    fprintf(out, "%s:\n", title);
    for (size_t i = 0; i < l->n; i++) {
        if (!all && !l->v[i].bad)
            continue;
        fprintf(out, "  %s ", mark(l->v[i].bad, o));
        put_indented(out, l->v[i].text, "      ");
        fputc('\n', out);
    }
}

/* part_detail - the figures behind a part's score, into buf. */
static const char *part_detail(const submission_t *s, const part_t *p, char *buf, size_t n)
{
    if (!s->lab_taken[p->lab]) {
        snprintf(buf, n, "not submitted");
        return buf;
    }
    if (!s->lab_built[p->lab]) {
        snprintf(buf, n, "not built");
        return buf;
    }
    if (p->kind != PART_PERFIDX && !p->total) {
        snprintf(buf, n, "nothing of the submission's runs matches this part");
        return buf;
    }
    if (p->kind == PART_PERFIDX) {
        if (!s->perf_known)
            snprintf(buf, n, "not measured");
        else if (s->perfidx <= 0 && p->total)
            snprintf(buf, n, "0: every trace must be replayed correctly first");
        else
            snprintf(buf, n, "perfidx %.1f: util %.1f%% of the layout bound, throughput "
                     "%.2fx the reference", s->perfidx, 100 * s->util_of_bound, s->thru_ratio);
    } else {
        snprintf(buf, n, "%u of %u %s", p->passed, p->total,
                 p->kind == PART_TRACES ? "traces" : "passed");
    }
    return buf;
}

void output_report(FILE *out, const submission_t *s, const options_t *o)
{
    fprintf(out, "%s== %s%s (%s)\n", o->color ? BOLD : "", s->name, o->color ? RESET : "",
            s->source);
    put_lines(out, "intake", &s->intake, o, true);
    put_lines(out, "checks", &s->checks, o, true);
    put_lines(out, "build", &s->build, o, o->verbose > 0);
    for (size_t i = 0; i < s->nparts; i++) {
        const part_t *p = &s->parts[i];
        if (p->points <= 0 || !o->labs[p->lab])
            continue;
        char detail[256];
        bool bad = p->score < p->points - 1e-9;
        fprintf(out, "%s %-58s %6.1f/%-5g (%s)\n", mark(bad, o), p->title, p->score, p->points,
                part_detail(s, p, detail, sizeof detail));
        for (size_t k = 0; k < s->nchecks; k++) {
            const check_t *c = &s->checks_run[k];
            if (c->part != (int)i || (c->v == V_OK && o->verbose < 2))
                continue;
            fprintf(out, "    %s %s: %s", mark(c->v != V_OK, o), c->name, verdict_name(c->v));
            if (c->message) {
                fputs(": ", out);
                put_indented(out, c->message, "        ");
            }
            fputc('\n', out);
        }
    }
    if (o->verbose)
        fprintf(out, "graded in %.1f s: %.1f s to take, check and build, %.1f s of runs "
                "(%.1f s of CPU)\n", s->wall, s->build_wall, s->wall - s->build_wall, s->cpu);
    fprintf(out, "%sScore: %.1f/%g%s\n", o->color ? BOLD : "", s->score, s->max_score,
            o->color ? RESET : "");
}

const char *output_problem(const submission_t *s, char *buf, size_t n)
{
    const char *problem = "";
    const lines_t *all[] = { &s->intake, &s->checks, &s->build };
    /* A consequence ("the objects' checks were not made") is not the cause:
     * the compiler's line is. */
    for (int pass = 0; pass < 2 && !*problem; pass++)
        for (size_t k = 0; k < 3 && !*problem; k++)
            for (size_t i = 0; i < all[k]->n && !*problem; i++)
                if (all[k]->v[i].bad &&
                    (pass || !strstr(all[k]->v[i].text, "checks were not made")))
                    problem = all[k]->v[i].text;
    snprintf(buf, n, "%.*s", (int)strcspn(problem, "\n"), problem);
    return buf;
}

/* part_output - a part's failures as text (malloc'd). */
static char *part_output(const submission_t *s, size_t i)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    char detail[256];
    fprintf(f, "%s\n", part_detail(s, &s->parts[i], detail, sizeof detail));
    for (size_t k = 0; k < s->nchecks; k++) {
        const check_t *c = &s->checks_run[k];
        if (c->part != (int)i || c->v == V_OK)
            continue;
        fprintf(f, "%s: %s%s%s\n", c->name, verdict_name(c->v), c->message ? ": " : "",
                c->message ? c->message : "");
    }
    fclose(f);
    return text;
}

static char *lines_text(const submission_t *s, bool *bad)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    const lines_t *all[] = { &s->intake, &s->checks, &s->build };
    *bad = false;
    for (size_t k = 0; k < 3; k++)
        for (size_t i = 0; i < all[k]->n; i++) {
            fprintf(f, "%s %s\n", all[k]->v[i].bad ? "✗" : "✓", all[k]->v[i].text);
            *bad |= all[k]->v[i].bad;
        }
    fclose(f);
    return text;
}

int output_gradescope(const char *path, const submission_t *s)
{
    cJSON *doc = cJSON_CreateObject();
    /* Points to the hundredth, as a course platform shows them. */
    cJSON_AddNumberToObject(doc, "score", round(s->score * 100) / 100);
    cJSON_AddNumberToObject(doc, "execution_time", s->wall);
    char summary[256];
    snprintf(summary, sizeof summary, "Score: %.1f/%g", s->score, s->max_score);
    cJSON_AddStringToObject(doc, "output", summary);
    cJSON_AddStringToObject(doc, "visibility", "visible");
    cJSON *tests = cJSON_AddArrayToObject(doc, "tests");
    bool bad;
    char *text = lines_text(s, &bad);
    cJSON *t = cJSON_CreateObject();
    cJSON_AddStringToObject(t, "name", "Intake, static checks and build");
    cJSON_AddNumberToObject(t, "score", 0);
    cJSON_AddNumberToObject(t, "max_score", 0);
    cJSON_AddStringToObject(t, "status", bad ? "failed" : "passed");
    cJSON_AddStringToObject(t, "output", text);
    cJSON_AddStringToObject(t, "visibility", "visible");
    cJSON_AddItemToArray(tests, t);
    free(text);
    for (size_t i = 0; i < s->nparts; i++) {
        const part_t *p = &s->parts[i];
        if (p->points <= 0)
            continue;
        t = cJSON_CreateObject();
        cJSON_AddStringToObject(t, "name", p->title);
        cJSON_AddNumberToObject(t, "score", round(p->score * 100) / 100);
        cJSON_AddNumberToObject(t, "max_score", p->points);
        cJSON_AddStringToObject(t, "status", p->score >= p->points - 1e-9 ? "passed" : "failed");
        char *out = part_output(s, i);
        cJSON_AddStringToObject(t, "output", out);
        free(out);
        cJSON_AddStringToObject(t, "visibility", "visible");
        cJSON_AddItemToArray(tests, t);
    }
    /* Every check and line, for tools (Gradescope ignores extra_data). */
    cJSON *extra = cJSON_AddObjectToObject(doc, "extra_data");
    cJSON_AddStringToObject(extra, "student", s->name);
    cJSON *checks = cJSON_AddArrayToObject(extra, "checks");
    for (size_t k = 0; k < s->nchecks; k++) {
        const check_t *c = &s->checks_run[k];
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "name", c->name);
        cJSON_AddStringToObject(e, "part", c->part >= 0 ? s->parts[c->part].id : "");
        cJSON_AddStringToObject(e, "verdict", verdict_name(c->v));
        if (c->message)
            cJSON_AddStringToObject(e, "message", c->message);
        cJSON_AddItemToArray(checks, e);
    }
    const lines_t *all[] = { &s->intake, &s->checks, &s->build };
    const char *stage[] = { "intake", "static_checks", "build" };
    for (size_t k = 0; k < 3; k++) {
        cJSON *arr = cJSON_AddArrayToObject(extra, stage[k]);
        for (size_t i = 0; i < all[k]->n; i++) {
            cJSON *e = cJSON_CreateObject();
            cJSON_AddStringToObject(e, "text", all[k]->v[i].text);
            cJSON_AddBoolToObject(e, "bad", all[k]->v[i].bad);
            cJSON_AddItemToArray(arr, e);
        }
    }
    cJSON *parts = cJSON_AddObjectToObject(extra, "parts");
    for (size_t i = 0; i < s->nparts; i++)
        if (s->parts[i].points > 0 && s->max_score > 0)
            cJSON_AddNumberToObject(parts, s->parts[i].id, s->parts[i].score);
    if (s->perf_known)
        cJSON_AddNumberToObject(extra, "perfidx", s->perfidx);
    cJSON_AddNumberToObject(extra, "max_score", s->max_score);
    cJSON_AddBoolToObject(extra, "unreadable", s->unreadable);
    if (s->fingerprint)
        cJSON_AddStringToObject(extra, "fingerprint", s->fingerprint);
    char first[256];
    cJSON_AddStringToObject(extra, "problem", output_problem(s, first, sizeof first));
    char *json = cJSON_Print(doc);
    cJSON_Delete(doc);
    /* Written beside, then renamed: a reader never sees half a file. */
    char *whole = NULL;
    int r = json && asprintf(&whole, "%s\n", json) >= 0 ? file_replace(path, whole, strlen(whole))
                                                        : -1;
    free(whole);
    cJSON_free(json);
    return r;
}

void output_autolab(FILE *out, const submission_t *s)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON *scores = cJSON_AddObjectToObject(doc, "scores");
    cJSON *board = cJSON_AddArrayToObject(doc, "scoreboard");
    cJSON_AddItemToArray(board, cJSON_CreateNumber(s->score));
    for (size_t i = 0; i < s->nparts; i++) {
        const part_t *p = &s->parts[i];
        if (p->points <= 0 || s->max_score <= 0)
            continue;
        cJSON_AddNumberToObject(scores, p->id, p->score);
        cJSON_AddItemToArray(board, cJSON_CreateNumber(p->score));
    }
    if (s->perf_known)
        cJSON_AddItemToArray(board, cJSON_CreateNumber(s->perfidx));
    char *json = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    fprintf(out, "%s\n", json);
    cJSON_free(json);
}

/* csv_field - a value, quoted as RFC 4180 asks when it needs to be. */
static void csv_field(FILE *out, const char *v)
{
    if (!strpbrk(v, ",\"\n")) {
        fputs(v, out);
        return;
    }
    fputc('"', out);
    for (; *v; v++) {
        if (*v == '"')
            fputc('"', out);
        fputc(*v, out);
    }
    fputc('"', out);
}

void output_csv_header(FILE *out, const submission_t *s)
{
    fputs("student,source,score,max_score", out);
    for (size_t i = 0; i < s->nparts; i++)
        if (s->parts[i].points > 0) {
            fputc(',', out);
            csv_field(out, s->parts[i].id);
        }
    fputs(",perfidx,util_of_bound,throughput_ratio,failed_checks,verdicts,problem,sha256,"
          "seconds\n", out);
}

void output_csv_row(FILE *out, const submission_t *s)
{
    csv_field(out, s->name);
    fputc(',', out);
    csv_field(out, s->source);
    fprintf(out, ",%.2f,%g", s->score, s->max_score);
    for (size_t i = 0; i < s->nparts; i++)
        if (s->parts[i].points > 0)
            fprintf(out, ",%.2f", s->parts[i].score);
    if (s->perf_known)
        fprintf(out, ",%.1f,%.4f,%.3f", s->perfidx, s->util_of_bound, s->thru_ratio);
    else
        fputs(",,,", out);
    unsigned failed = 0, by[V_COUNT] = { 0 };
    for (size_t k = 0; k < s->nchecks; k++) {
        failed += s->checks_run[k].v != V_OK;
        by[s->checks_run[k].v]++;
    }
    char verdicts[512] = "";
    size_t len = 0;
    for (int v = 1; v < V_COUNT; v++)
        if (by[v])
            len += (size_t)snprintf(verdicts + len, sizeof verdicts - len, "%s%s=%u",
                                    len ? "; " : "", verdict_name((verdict_t)v), by[v]);
    fprintf(out, ",%u,", failed);
    csv_field(out, verdicts);
    char first[256];
    fputc(',', out);
    csv_field(out, output_problem(s, first, sizeof first));
    char sums[2048] = "";
    len = 0;
    for (size_t i = 0; i < s->nfiles && len < sizeof sums; i++)
        if (!s->files[i].from_skeleton)
            len += (size_t)snprintf(sums + len, sizeof sums - len, "%s%s:%s", len ? " " : "",
                                    s->files[i].path, s->files[i].sha256);
    fputc(',', out);
    csv_field(out, sums);
    fprintf(out, ",%.1f\n", s->wall);
}
