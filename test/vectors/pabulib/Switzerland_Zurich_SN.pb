META
key;value
description;Qualtrics Zurich PB Experiment 2023, SN format
country;Switzerland
unit;Zurich
instance;SN
num_projects;24
num_votes;180
budget;60000
vote_type;approval
rule;unknown
date_begin;09.03.2023
date_end;19.03.2023
min_length;1
max_length;24
language;en
currency;CHF
experimental;1
acknowledgments;Data from Yang et al. (2024), https://arxiv.org/abs/2310.03501.
PROJECTS
project_id;cost;votes;name;category;district
1;5000;79;Planting Workshops at Oerlikon;Nature;Nord
2;10000;110;Footpath Gardens around Train Stations;Nature;Nord
3;5000;41;Kid Festival at Leutschenpark;Culture;Nord
4;10000;44;Music Studio at Kulturbahnhof Affoltern;Culture;Nord
5;5000;129;Safe Bike Paths around Irchel Park;Transportation;Nord
6;10000;98;More Night Buses to Oerlikon;Transportation;Nord
7;5000;106;Free Open Badi Space in Wollishofen;Nature;Süd
8;10000;66;A Neighborhood Garden for Wiedikon;Nature;Süd
9;5000;46;Environmental Film Session for Kids;Culture;Süd
10;10000;63;Car-free Sunday Festivals on Mutschellenstrasse;Culture;Süd
11;5000;74;Free Bike Fixing Workshops;Transportation;Süd
12;10000;89;Car Sharing System for Young People;Transportation;Süd
13;5000;109;Transforming City Spaces under Trees into Gardens;Nature;Ost
14;10000;128;More Trees in Bellevue & Sechseläutenplatz;Nature;Ost
15;5000;67;Plant Festival in the City Centre;Culture;Ost
16;10000;80;Multicultural Festival at Sechseläutenplatz;Culture;Ost
17;5000;107;Bike Lanes on Seefeldstrasse;Transportation;Ost
18;10000;52;Speed bumps in the City and the Lake Front;Transportation;Ost
19;5000;83;Bird Houses for Zurich-Höngg;Nature;West
20;10000;69;Wet Biotope as Learning Garden in Frankental;Nature;West
21;5000;55;Dingtheke: Community Things Exchange Library in Wipkingen;Culture;West
22;10000;51;Sustainable Cooking Workshop with Kids;Culture;West
23;5000;62;Public Bicycle Moving Trailer to be Borrowed;Transportation;West
24;10000;100;Car-free Langstrasse;Transportation;West
VOTES
voter_id;vote;topic_preference_transport;topic_preference_culture;topic_preference_nature;district_preference;time_taken_seconds;format_easiness;format_expressiveness;format_rank
QGVT6BFJ;5,9,14,23;24;43;33;West;5;4;Somewhat easy;Mostly describes my preference
YK3TDKDG;1,2,5,6,7,10,11,13,14,15,17,24;60;10;30;Nord;40;14;Extremely easy;Slightly describes my preference
GBXNVPT3;1,4,5,6,8,12,13,14,16,19,23;30;20;50;Nord;38;13;Extremely easy;Clearly describes my preference
Q3XX1WEM;1,2,5,6,7,11,12,13,15,16,17,21,22,23;48;21;31;Nord;32;15;Somewhat easy;Clearly describes my preference
VYWXL1Y7;1,2,5,6,8,11,12,13,14,15,16,17,19,22,23,24;50;15;35;Ost;45;16;Extremely easy;Slightly describes my preference
9FL7WKHB;1,4,5,10,11,14,15,21,23,24;25;50;25;Süd;66;11;Extremely easy;Mostly describes my preference
Z9WAJKGN;1,4,5,6,7,10,11,12,14,17,18,19,23,24;40;35;25;Nord;64;16;Extremely easy;Clearly describes my preference
S9ECLWWP;14,17,18;48;6;46;Ost;44;14;Extremely easy;Does not describe my preference
HB147SX9;1,2,4,6,7,12,14,15,19,22;20;40;40;Nord;81;10;Extremely easy;Mostly describes my preference
HJN3ASHT;4,5,6,7,8,9,11,12,13,14,17,19,20,24;43;15;42;Ost;57;16;Extremely easy;Moderately describes my preference
69FGJ7YL;1,3,5,7,13,17,23;40;25;35;Nord;74;41;Somewhat difficult;Slightly describes my preference
UWYHTA6P;1,5,6,13,14,18,19,24;20;10;70;Nord;43;8;Neither easy nor difficult;Mostly describes my preference
R3E7WUKL;3,5,7,10,12,13,14,24;40;20;40;Ost;104;14;Extremely easy;Mostly describes my preference
TZE63P5P;2,4,7,13,16,17,18;33;34;33;Ost;99;7;Extremely easy;Mostly describes my preference
AN4E34N9;1,5,6,10,11,12,13,16,17,19;35;30;35;Ost;92;14;Somewhat difficult;Slightly describes my preference
SXBWM1MW;1,2,5,6,9,10,12,13,14,17,19,20,21,22,23,24;25;25;50;Ost;38;16;Extremely easy;Clearly describes my preference
VUKHHTRG;1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24;34;33;33;West;31;30;Extremely easy;Slightly describes my preference
US5DFGK1;1,2,3,4,5,6,10,13,20;25;42;33;Nord;47;10;Extremely easy;Does not describe my preference
39TMQA7N;2,4,9,24;25;40;35;Ost;97;4;Somewhat easy;Clearly describes my preference
TXLBAP7X;2,5,6,7,11,13,17,23;60;0;40;Nord;101;15;Somewhat easy;Slightly describes my preference
JTYKLNH1;2,5,6,8,11,12,16,17,18,20,23,24;62;13;25;Ost;41;18;Somewhat difficult;Does not describe my preference
KD1FMAYY;2,3,5,7,9,10,11,13,14,15,17,19,20,22,24;25;25;50;Nord;54;17;Extremely easy;Clearly describes my preference
C3T5K632;2,5,6;60;20;20;Nord;32;3;Neither easy nor difficult;Moderately describes my preference
WWG666QQ;1,3,8,11,13,14,15,16,19,20,22,23;35;35;30;Süd;63;12;Somewhat easy;Slightly describes my preference
ASPT6E8J;14,17,18;67;0;33;Ost;15;3;Extremely easy;Does not describe my preference
QL28MSCM;2,9,12,13,15,18,20,22,23;30;30;40;Ost;65;9;Extremely easy;Moderately describes my preference
Z9D1X2XG;2,4,5,11,12,13,14,15,16,17,19,21,24;48;19;33;West;127;21;Extremely easy;Moderately describes my preference
C3MTQTG3;5,6,11,12,13,14,17,18,23,24;70;5;25;Ost;27;12;Neither easy nor difficult;Clearly describes my preference
Y2TTXBUL;1,2,3,5,6,9,11,13,14,16,17,19,20,21,22;40;25;35;Nord;65;15;Extremely easy;Moderately describes my preference
K9RFLV3L;1,2,6,13,14,19,20;40;10;50;Nord;63;7;Extremely easy;Moderately describes my preference
QX2KYA7C;2,5,6,13,14,24;35;30;35;Nord;119;14;Extremely easy;Clearly describes my preference
AB2BXLJD;2,5,7,8,11,18,19,21,23;20;30;50;Nord;58;11;Extremely easy;Clearly describes my preference
SLM9ZZCL;2,5,13,14,17,24;60;0;40;West;72;6;Extremely easy;Clearly describes my preference
NQCRFWTB;2,5,6,7,12,14,17,18,19,20;36;6;58;Nord;60;10;Extremely difficult;Slightly describes my preference
6UYARXYW;2,6,7,9,10,12,13,14,21;37;41;22;Ost;70;9;Extremely easy;Clearly describes my preference
KHTJ7W7J;1,2,4,5,7,9,13,15,19,21;25;15;60;Nord;77;10;Somewhat difficult;Mostly describes my preference
P8GZFT8L;2,6,7,10,14,17,23,24;40;20;40;Ost;84;8;Extremely easy;Does not describe my preference
U8Y68QJ4;3,7,8,10,11,14,16,18,22,24;45;27;28;Ost;86;10;Extremely easy;Mostly describes my preference
1PW9NBML;5,6,7,12,14,16,17,22;50;30;20;Ost;216;20;Somewhat difficult;Does not describe my preference
H2ZP397R;2,4,6,7,10,14,15,16,20,22;0;70;30;West;120;15;Extremely easy;Slightly describes my preference
ZKMH52UG;2,5,8,13,14,19,20,21;14;5;81;Nord;77;8;Somewhat difficult;Moderately describes my preference
BWZARCP8;1,3,4,5,6,7,8,9,11,12,13,14,17,18,22,24;42;16;42;West;78;18;Somewhat easy;Slightly describes my preference
2UZ7AYW6;1,2,5,7,8,9,10,11,12,13,14,15,16,17,19,20,22;30;40;30;Ost;121;21;Extremely easy;Does not describe my preference
9Q9KZWCT;1,3,4,5,8,9,11,12,13,14,15,16,18,20,21,24;20;40;40;West;47;16;Somewhat easy;Mostly describes my preference
5F5JRRRB;7,16,17,20;50;20;30;Ost;78;4;Extremely easy;Slightly describes my preference
UBF7QR7K;1,2,3,4,5,8,9,11,14,16,17,18,19,21,23;50;25;25;Ost;133;56;Extremely easy;Clearly describes my preference
F19UNPF5;2,4,5,6,7,9,10,12,13,14,15,16,17,19,23,24;40;10;50;Ost;92;18;Somewhat difficult;Does not describe my preference
E8CX628G;1,2,5,6,11,12,13,17,24;35;25;40;Nord;69;26;Extremely easy;Mostly describes my preference
PXF3UNXM;1,7,13,14,16,17,22;22;28;50;Ost;88;23;Somewhat difficult;Moderately describes my preference
1TVFT13C;2,5,6,8,10,11,12,13,14,16,17,18,20,24;28;22;50;Ost;42;16;Extremely easy;Moderately describes my preference
5HSYVCSS;1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24;25;30;45;Nord;56;26;Extremely easy;Mostly describes my preference
A9JA5WV2;1,2,3,4,5,6,7,8,12,13,14,15,16,20,24;9;47;44;Nord;134;15;Extremely easy;Does not describe my preference
FQPESPYV;1,2,5,11,12,13,15,17,21,22,24;59;22;19;Ost;178;14;Extremely easy;Clearly describes my preference
ZBEKVQNM;2,4,5,7,8,14,15,20,23,24;44;10;46;Nord;48;36;Neither easy nor difficult;Moderately describes my preference
MRF9XQ4W;2,4,5,8,10,13,14,21,24;25;40;35;Nord;67;11;Extremely easy;Does not describe my preference
QQE4NNEJ;2,5,6,7,10,11,15,16;40;20;40;Nord;98;8;Extremely easy;Slightly describes my preference
FU6EEWTL;5,8,12,17;50;20;30;Süd;83;4;Somewhat difficult;Mostly describes my preference
TPH1REDA;2,5,6,7,9,13,16,19,22;30;25;45;Nord;63;9;Extremely easy;Does not describe my preference
8NB6G7GU;2,5,6,7,10,11,12,14,15,16,17,19,20,24;40;15;45;West;73;14;Somewhat difficult;Slightly describes my preference
NQ3NXP9U;2,5,6,10,11,12,19,24;60;20;20;Nord;141;10;Extremely easy;Does not describe my preference
PZT3F4R8;1,2,7,8,13,14,19,20,21,22,23,24;30;20;50;West;40;16;Extremely easy;Moderately describes my preference
RC2FJU1H;1,2,3,6,7,8,9,10,11,13,14,15,16,17,18,19,20,21,22,24;32;23;45;Ost;96;20;Extremely easy;Slightly describes my preference
UZYTYJN7;2,5,6,9,11,13,19,24;60;13;27;Nord;77;14;Extremely easy;Mostly describes my preference
KLJVPRUD;1,2,3,4,5,7,8,9,10,11,14,15,16,17,20,21,22,23,24;22;40;38;West;73;19;Extremely easy;Moderately describes my preference
AZY9GYGJ;5,6,7,10,11,12,13,14,15,16,17,18,21,23,24;33;34;33;Ost;135;16;Somewhat easy;Slightly describes my preference
FTX2CQXK;2,3,5,6,7,8,12,14,17,19,20,24;31;26;43;West;49;12;Extremely easy;Mostly describes my preference
G3MFZNB8;7,8,14,15,19;59;15;26;Süd;47;8;Somewhat easy;Moderately describes my preference
4TUWVK4M;2,7,13,14,15,19,20,22,24;35;10;55;Ost;54;9;Somewhat difficult;Does not describe my preference
FBN33ZL7;2,5,7,11,12,13,17,21,22;50;15;35;West;256;10;Somewhat easy;Does not describe my preference
FASEYYR3;2,3,5,7,10,12,14,18,23,24;55;10;35;Nord;70;10;Extremely easy;Mostly describes my preference
XYX5G4HH;2,5,7,9,10,12,14,20;51;17;32;Nord;68;8;Somewhat easy;Clearly describes my preference
UB36PRAV;7,11,12,13,14,15,16,24;25;25;50;Ost;179;10;Somewhat difficult;Slightly describes my preference
48B219TM;1,2,4,6,7,8,10,11,12,13,14,15,16,19,20,21,23;25;35;40;West;91;41;Extremely easy;Slightly describes my preference
XKBEGJMA;1,2,3,8,9,13,14,17,18,20,21,24;30;30;40;West;66;12;Extremely easy;Clearly describes my preference
PRTX6WYB;1,5,6,11,12,14,17,23;50;20;30;West;107;10;Neither easy nor difficult;Moderately describes my preference
A67CMQCV;2,4,5,6,8,9,12,13,14,16,17,18,19,20,21,22,23;50;25;25;West;132;17;Extremely easy;Clearly describes my preference
SAUTLCP8;1,5,7,8,10,11,12,13,15,17,21,23;24;50;26;Süd;83;13;Neither easy nor difficult;Mostly describes my preference
KGJHH5DB;2,6,8,11,15,17,18,22,24;45;20;35;Ost;189;13;Neither easy nor difficult;Slightly describes my preference
KFWWSU2Z;2,4,7,8,10,13,14,15,16,18,19,20,22,24;25;35;40;Ost;108;16;Extremely easy;Clearly describes my preference
SW3RR2KX;1,5,6,12,13,14,15,16,17,22,23;33;32;35;Ost;100;25;Extremely easy;Slightly describes my preference
5L5K21HZ;1,2,4,5,6,7,10,12,13,15,18,24;40;40;20;Nord;125;12;Extremely easy;Moderately describes my preference
YBD66HRT;1,2,6,7,13,14,15,18,19,24;50;10;40;Ost;74;10;Somewhat difficult;Does not describe my preference
WFCEQBS1;1,2,3,4,5,6,8,9,10,13,14,16,17,18,19,22,23;38;25;37;Nord;113;23;Extremely easy;Does not describe my preference
H64M2QZY;2,5,6,7,13,14,17,24;35;20;45;Ost;133;8;Extremely easy;Slightly describes my preference
DAS4S4YT;4,7,13,15,16,21;30;40;30;Ost;92;9;Extremely easy;Moderately describes my preference
AG2ZHXTW;12,19,20,21,23;40;20;40;West;40;5;Extremely easy;Does not describe my preference
AY6VFCNL;1,2,3,5,6,7,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24;20;30;50;Ost;85;38;Extremely easy;Moderately describes my preference
8JF51ARL;1,2,3,4,5,6,7,8,10,11,12,13,14,16,19,24;30;30;40;Nord;58;22;Extremely easy;Moderately describes my preference
P4GWG2B9;1,2,4,5,7,8,9,13,14,15,16,17,18,20,21,22,24;20;40;40;Süd;126;21;Extremely easy;Clearly describes my preference
GYQCPVXP;1,2,7,8,12;31;15;54;Süd;466;7;Somewhat difficult;Mostly describes my preference
YLYTNK77;1,2,5,6,11,14,17,24;50;20;30;Nord;125;18;Somewhat difficult;Slightly describes my preference
LU4LQ3DT;5,10,11,13,14,17,24;45;20;35;Ost;50;7;Extremely easy;Slightly describes my preference
LGD8SLYY;3,5,6,7,8,9,12,13,17,23;33;34;33;Ost;67;12;Extremely easy;Moderately describes my preference
LLYL5HLN;5,6,7,13,14,17,19;40;30;30;Ost;87;11;Neither easy nor difficult;Slightly describes my preference
XJS42TL6;1,2,4,5,6,7,10,11,13,14,16,17,19,20,22,23,24;50;20;30;Nord;86;17;Extremely easy;Slightly describes my preference
WV1V18SH;2,5,6,7,8,12,14,16,17,18,19,21,24;40;20;40;Nord;104;15;Extremely easy;Slightly describes my preference
6EAERTV3;5,7,12,17,24;70;0;30;Süd;170;38;Extremely easy;Moderately describes my preference
R3JNZ2ZR;6,7,8,13,19,23;30;30;40;Süd;57;8;Somewhat easy;Mostly describes my preference
Z1MTZHZV;3,5,6,7,8,9,10,11,12,13,19,23;40;10;50;Süd;168;16;Extremely easy;Does not describe my preference
ATPGZUQQ;2,4,5,6,7,8,10,12,13,14,16,17,19,24;30;20;50;Ost;72;17;Extremely easy;Mostly describes my preference
A6JSE9MB;1,5,6,7,11,12,14,17;61;15;24;Ost;68;8;Somewhat difficult;Moderately describes my preference
C46LEUB6;1,2,7,13,14,15,19,20;20;20;60;Ost;60;8;Somewhat difficult;Does not describe my preference
HPN639AU;6,13,14,24;25;38;37;Nord;37;31;Extremely easy;Mostly describes my preference
SR1XCLNM;5,6,7,9,10,12,15,16,17,18,19,20,24;50;30;20;Ost;193;15;Neither easy nor difficult;Moderately describes my preference
A48HJ449;1,2,3,4,5,8,9,11,12,13,15,16,17,19,21,22,24;30;40;30;Nord;114;20;Extremely easy;Slightly describes my preference
F4LFVHAJ;2,5,7,8,11,13,14,16,17,18,19,20,24;50;15;35;Ost;123;16;Extremely easy;Slightly describes my preference
JFUHQJ2R;5,7,12,14,16,18,21;65;20;15;Süd;158;47;Somewhat difficult;Slightly describes my preference
T5UU6V6L;2,3,5,8,10,11,16,17,19,23;40;30;30;Nord;160;11;Extremely easy;Clearly describes my preference
JZHCRY1K;1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,19,20,21,22,23,24;25;40;35;Nord;83;25;Extremely easy;Slightly describes my preference
2C24T7KE;3,5,6,7,12,14,15,16,17,20,21;25;30;45;Ost;158;18;Extremely easy;Clearly describes my preference
J95G6U5H;6,24;50;30;20;Nord;45;2;Somewhat easy;Moderately describes my preference
NMDXBWCA;6,13,14,24;40;20;40;Ost;99;8;Extremely easy;Slightly describes my preference
J3QC3A9L;1,3,6,7,12,14,17,19,24;30;20;50;Ost;82;38;Somewhat easy;Moderately describes my preference
BQ9NM8NA;1,2,5,6,7,10,12,13,14,15,16,17,18,19,20,23,24;40;30;30;Nord;123;18;Extremely easy;Clearly describes my preference
VU9GU7EC;2,5,12,14,17,19,21,24;30;30;40;West;98;19;Extremely easy;Does not describe my preference
WJK3XX9Z;2,5,7,10,11,12,13,14,15,16,17,20,21,24;37;26;37;Ost;99;19;Extremely easy;Moderately describes my preference
NGVYR1W7;1,2,3,4,5,7,8,9,10,11,12,13,14,15,16,17,19,20,22,24;29;22;49;Ost;95;29;Extremely easy;Does not describe my preference
YAJPC2X2;1,2,5,7,10,11,13,14,15,16,17,21,23;33;34;33;Süd;51;17;Extremely easy;Does not describe my preference
5DV6TKBH;13,14,15,16,17,18;40;25;35;Ost;31;6;Extremely easy;Slightly describes my preference
Q1VJ7X9Y;1,6,8,10,21,22,24;30;35;35;Süd;124;7;Somewhat difficult;Clearly describes my preference
5MZSLUFC;5,13,14,17,19,24;40;10;50;Ost;65;24;Extremely easy;Moderately describes my preference
432RJBHZ;2,5,6,14,16,17,18;50;20;30;Nord;49;7;Extremely easy;Slightly describes my preference
F5M2YPXD;1,2,5,7,10,13,14,15,16,17,19,20,24;30;40;30;Ost;94;17;Extremely easy;Does not describe my preference
8AQ4NDL3;2,20,22,23;35;15;50;West;94;4;Extremely easy;Slightly describes my preference
RFYTP9LP;2,6,7,10,12,13,14,20,22,23,24;42;23;35;West;180;13;Neither easy nor difficult;Slightly describes my preference
XGJWLASY;2,4,5,6;50;20;30;Nord;48;4;Somewhat difficult;Slightly describes my preference
M8BLJ2F3;1,2,3,5,13,23;40;10;50;Nord;73;6;Somewhat easy;Mostly describes my preference
EFDZ7ETR;1,2,5,6,7,8,12,13,14,16,24;30;20;50;West;60;15;Extremely easy;Moderately describes my preference
55WRKBVE;1,5,6,7,8,9,11,12,13,14,16,17,21,22,23,24;30;20;50;West;66;16;Extremely easy;Moderately describes my preference
16AG1TYY;2,6,7,11,12,14,24;55;15;30;Süd;135;7;Somewhat easy;Clearly describes my preference
ASLWD2SD;1,2,5,7,8,9,12,13,14,15,17,18,20,22,23,24;20;20;60;Ost;142;20;Extremely easy;Clearly describes my preference
LY9YM7QB;1,2,4,5,6,11,12,17,18,20,22,23;38;24;38;Nord;73;14;Extremely easy;Mostly describes my preference
Z2RR5XKJ;1,4,5,7,8,10,11,13,14,17,18,20,24;35;25;40;Ost;330;22;Extremely difficult;Does not describe my preference
SKRTM9LU;2,5,9,13,14,17,20,24;35;25;40;Süd;127;10;Extremely easy;Slightly describes my preference
W2MLS75Q;13,14,15,17,18;35;20;45;Ost;29;5;Extremely easy;Slightly describes my preference
E61HYTYU;1,2,7,14,16,19,24;26;22;52;Nord;122;7;Somewhat difficult;Slightly describes my preference
KS38TBG8;5,7,8,11,13,14,17,19,21;35;20;45;Ost;99;9;Somewhat easy;Slightly describes my preference
XVHXW4NR;1,2,3,5,6,7,8,9,10,12,14,17,19,20,21,22,23,24;40;20;40;Ost;92;22;Somewhat difficult;Slightly describes my preference
WPE7PDH3;1,2,5,8,10,13,14,17,19,20,24;30;20;50;Ost;66;11;Extremely easy;Slightly describes my preference
VMTUZREL;1,2,3,5,6,7,11,12,14,15,17,20,21,23,24;43;21;36;Nord;158;36;Extremely easy;Slightly describes my preference
4XC8CX5K;20,21,23;50;30;20;West;28;5;Extremely easy;Moderately describes my preference
EJGJXLSU;1,2,5,9,13,14,17,18,19,20,24;35;15;50;Ost;70;13;Extremely easy;Moderately describes my preference
ZH1C7RZF;1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24;34;15;51;Nord;62;24;Extremely easy;Clearly describes my preference
9MKCB7MQ;13,14,15,16,17,18;50;25;25;Ost;72;14;Extremely easy;Moderately describes my preference
KCJ79YXW;2,5,6,7,10,15,19,24;30;40;30;West;89;8;Extremely easy;Slightly describes my preference
SVRH73LF;2,5,6,9,11,12,14,15,16,21;38;28;34;Süd;94;13;Extremely easy;Slightly describes my preference
6TWRBG64;2,5,6,13,14,17,21;30;10;60;Ost;47;7;Somewhat easy;Clearly describes my preference
2K9TK9X1;13,14,15,16,17,18;35;25;40;Ost;76;12;Somewhat easy;Mostly describes my preference
L2WBGDBB;4,5,14,16,17,19,24;45;30;25;Ost;185;20;Somewhat difficult;Slightly describes my preference
AH17ZXW1;1,5,6,7,8,11,13,14,15,17,18,19,20,24;30;10;60;Nord;88;19;Somewhat easy;Slightly describes my preference
8GSXKNY4;1,2,3,4,5,6,7,8,10,11,12,13,14,15,16,17,19,20,21,22,23,24;42;20;38;Ost;63;24;Extremely easy;Slightly describes my preference
NLHBD2KE;1,2,3,6,7,8,9,13,14,16,19,20,22;8;22;70;Nord;83;16;Extremely easy;Slightly describes my preference
U8VU8B6L;5,19,24;20;20;60;West;137;63;Somewhat easy;Clearly describes my preference
YKQ279Y2;1,3,5,6,7,8,10,11,12,14,15,16,17,19,20,21,22,23,24;29;32;39;Ost;87;21;Extremely easy;Slightly describes my preference
TFL7ZHZR;1,2,7,8,9,12,14,15,18,19,20,21,22;35;10;55;West;99;16;Extremely easy;Does not describe my preference
K526FDSR;1,2,5,8,12,19,20;30;20;50;Nord;124;53;Somewhat easy;Slightly describes my preference
M9EWVKCX;1,4,5,6,7,8,13,14,15,16,17,19,21,23;35;15;50;West;197;28;Somewhat easy;Slightly describes my preference
RZCGMWLH;5,11,14,16,18,19,24;40;40;20;Nord;159;10;Extremely easy;Moderately describes my preference
GJDV2MST;7,10,14,19,20,21,24;15;40;45;West;65;7;Extremely easy;Slightly describes my preference
CH5QQFBL;2,6,7,12,13,24;53;14;33;Süd;56;6;Somewhat easy;Moderately describes my preference
Y1D4XWV5;1,2,5,11,12,13,14,15,16,17,18,19,20;20;20;60;Ost;91;18;Extremely easy;Slightly describes my preference
DXP44T17;1,3,5,6,7,9,11,12,14,16,17,22,23;35;40;25;Ost;108;32;Extremely easy;Slightly describes my preference
ATEYGYZZ;5,7,12,13,14,16,17;30;0;70;Ost;51;9;Somewhat easy;Slightly describes my preference
YM4R3X7S;1,2,5,6,13,16,19,23;35;25;40;Nord;56;8;Somewhat difficult;Slightly describes my preference
DV7YAWGL;2,5,6,7,10,12,15,17,18,20,22,23,24;50;30;20;Ost;81;13;Extremely easy;Slightly describes my preference
UCNZR63U;2,5,6,7,10,11,12,13,14,16,17,21,22,23,24;50;30;20;Ost;64;20;Extremely easy;Clearly describes my preference
N7M3DUG4;5,7,12,16;33;34;33;Nord;88;22;Extremely easy;Clearly describes my preference
5J9328YV;5,6,17,19,20,24;50;0;50;West;134;11;Somewhat easy;Mostly describes my preference
4VQ14DB6;5,7,8,10,11,12,14,16,17,23,24;37;30;33;Süd;90;13;Somewhat easy;Slightly describes my preference
LGXYJ4C1;1,2,3,5,6,7,9,10,11,17,20,24;50;20;30;Nord;59;12;Somewhat easy;Mostly describes my preference
XZJCW2GS;2,4,5,8,9,10,12,14,15,16,23,24;10;80;10;Süd;135;14;Somewhat easy;Slightly describes my preference
H4T5RY7K;1,5,11,13,14,16,17,19,21,23;45;25;30;West;109;14;Extremely easy;Does not describe my preference
JCR7EG1H;6,7,12,13,14,18,19;40;20;40;Ost;74;7;Somewhat easy;Mostly describes my preference
JJBCAC37;1,5,6,10,11,12,13,14,15,17,18,21,23;75;0;25;Süd;84;23;Neither easy nor difficult;Moderately describes my preference
9HDEH1D1;2,3,5,6,8,10,11,13,14,17,19,20,22,24;35;31;34;West;47;29;Extremely easy;Clearly describes my preference
44VVL46Y;7,8,9,11;25;25;50;Süd;107;11;Somewhat easy;Clearly describes my preference
15KHCW7R;7,13,14,15,16,24;50;20;30;Ost;84;14;Somewhat easy;Mostly describes my preference
PS5EF9WV;1,2,3,4,5,6,7,8,9,11,12,13,14,15,16,17,18,19,21,22,23;40;20;40;Ost;108;26;Somewhat easy;Moderately describes my preference
14SJEBYM;2,3,4,6,7,8,10,12,14,16,17,20,21,24;30;40;30;Süd;75;16;Extremely easy;Does not describe my preference
66639V43;5,6,7,12,19;38;9;53;West;62;14;Extremely easy;Clearly describes my preference
