/* The read API's score of a published version, at
 * /api/v1/versions/:year/:dept/:v/score: the score.json kept at its
 * publication (score_portal.c), after "of" naming the version. */
#include "api.h"
#include "score_portal.h"

void h_api_score(js_req *r)
{
    api_one o;
    if (!api_one_load(r, &o, true))
        return;
    json_t *score = version_score(r, o.v->id);
    if (!score) {
        api_fail_text(r, 404, T_API_NO_SCORE);
    } else
        api_send_json(r, api_of(&o, score), API_CACHE_VERSION);
    api_one_free(&o);
}
