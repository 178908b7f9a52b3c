"""Review findings and the confidence they deserve: study appraisals (MMAT 2018 built in) and GRADE-CERQual."""
