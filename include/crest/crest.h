/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * crest.h - the whole public API of libcrest. */
#ifndef CR_CREST_H
#define CR_CREST_H

#include "crest/calibrate.h"
#include "crest/campaign.h"
#include "crest/common.h"
#include "crest/demo.h"
#include "crest/discover.h"
#include "crest/errors.h"
#include "crest/goals.h"
#include "crest/import.h"
#include "crest/kpi.h"
#include "crest/mail.h"
#include "crest/model.h"
#include "crest/outreach.h"
#include "crest/program.h"
#include "crest/report.h"
#include "crest/review.h"
#include "crest/sentence.h"
#include "crest/store.h"
#include "crest/track.h"
#include "crest/vet.h"

#endif /* CR_CREST_H */
