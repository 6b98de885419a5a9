// The postmortem's first draft (`dlanalyze report`), in Markdown: the incident template filled
// in from the findings. A deadlock (or a waiter that can never wake, or suspects parked for
// minutes) gets the nine sections: summary, trigger, cycle (the DOT picture and a table),
// detection, diagnosis (stacks and source), root cause (the pattern and the Coffman condition to
// break), patch, prevention and tests. A dump with nothing found gets a short report that says
// so, and how far that verdict goes. Facts come from the findings only; fixes are marked as
// suggestions. render/html turns this Markdown into one self-contained page.
#pragma once

#include <string>

#include "graph/analysis.h"
#include "graph/diff.h"
#include "graph/model.h"
#include "graph/source_files.h"

namespace dla {

struct ReportOptions {
  // What the input's parser reads, in one line (cli passes the registry's description): the
  // capture methods this format comes from.
  std::string input_description;
  // How many dumps the inputs held; the report is about the last one (in time order).
  size_t dumps_in_input = 1;
  // Several snapshots of one process: their diff, whose last snapshot is the one reported on;
  // adds section Timeline (counts per group per snapshot, the waits parked throughout) and says
  // since when. nullptr: one snapshot.
  const Diff* diff = nullptr;
  // Where to read the source lines that section 5 quotes; nullptr: no excerpts.
  SourceFiles* sources = nullptr;
  size_t max_listed = 20;    // rows of a table of waiters before "… and N more"
  size_t max_diagnosed = 8;  // tasks whose stacks section 5 shows
};

std::string render_report(const Snapshot& s, const Findings& f, const ReportOptions& options);

}  // namespace dla
