module dlanalyze/bench/goscopes

go 1.19
