"""Every tiny-tier verdict as measured: test id -> verdict, stricter reading, expected verdict, numbers.

A case whose verdict differs from the paper's is a strict xfail (raises=ClaimNotReproduced,
bench/grid.py `param`); `Verdict.check` fails any case whose verdict or stricter reading
differs from the one recorded here, naming both with their numbers. Written by
`python bench/record_known.py` from the verdicts of a `pytest bench --update-baselines`
session; reviewed like code.
"""

KNOWN = {'test_cross_claims[real-smollm2-135m-adamw]': {'expected': 'A~B -, A~C +, B~C -',
                                                'numbers': 'spearman_A~B +0.3037 [+0.2400, +0.4550]; '
                                                           'spearman_A~C -0.3491 [-0.4122, -0.2369]; '
                                                           'spearman_B~C -0.0225 [-0.1849, +0.0754]; '
                                                           'overlap_AB 0.6667; overlap_AC 0.3333; overlap_BC '
                                                           '0.2; set_A 1-2-3-4-5-6-7-8-9-11-18-20-22-24-30; '
                                                           'set_B 1-2-3-4-5-6-7-8-9-10-11-12-13-14-15; set_C '
                                                           '3-10-12-19-20-21-22-23-24-25-26-27-28-29-30; '
                                                           'seeds 3',
                                                'strict': '',
                                                'verdict': 'A~B +, A~C -, B~C ?'},
 'test_cross_claims[real-smollm2-135m-sgd]': {'expected': 'A~B -, A~C +, B~C -',
                                              'numbers': 'spearman_A~B +0.5809 [+0.4095, +0.6143]; '
                                                         'spearman_A~C -0.3695 [-0.4208, -0.2676]; '
                                                         'spearman_B~C -0.0225 [-0.1849, +0.0754]; '
                                                         'overlap_AB 0.7333; overlap_AC 0.3333; overlap_BC '
                                                         '0.2; set_A 1-2-3-4-5-6-7-9-11-13-14-19-25-28-30; '
                                                         'set_B 1-2-3-4-5-6-7-8-9-10-11-12-13-14-15; set_C '
                                                         '3-10-12-19-20-21-22-23-24-25-26-27-28-29-30; seeds '
                                                         '3',
                                              'strict': '',
                                              'verdict': 'A~B +, A~C -, B~C ?'},
 'test_cross_claims[tiny-tiny-gpt2-64-adamw]': {'expected': 'A~B -, A~C +, B~C -',
                                                'numbers': 'spearman_A~B +0.3714 [+0.2571, +0.6000]; '
                                                           'spearman_A~C +0.9429 [+0.8857, +1.0000]; '
                                                           'spearman_B~C +0.4286 [+0.3714, +0.4286]; '
                                                           'overlap_AB 0.6667; overlap_AC 1; overlap_BC '
                                                           '0.6667; set_A 1-2-4; set_B 1-2-3; set_C 1-2-4; '
                                                           'seeds 3',
                                                'strict': '',
                                                'verdict': 'A~B +, A~C +, B~C +'},
 'test_cross_claims[tiny-tiny-gpt2-64-sgd]': {'expected': 'A~B -, A~C +, B~C -',
                                              'numbers': 'spearman_A~B +0.6571 [+0.2571, +0.6571]; '
                                                         'spearman_A~C +0.9429 [+0.8857, +1.0000]; '
                                                         'spearman_B~C +0.4286 [+0.3714, +0.4286]; '
                                                         'overlap_AB 0.6667; overlap_AC 1; overlap_BC '
                                                         '0.6667; set_A 1-2-4; set_B 1-2-3; set_C 1-2-4; '
                                                         'seeds 3',
                                              'strict': '',
                                              'verdict': 'A~B +, A~C +, B~C +'},
 'test_cross_claims[tiny-tiny-llama-64-adamw]': {'expected': 'A~B -, A~C +, B~C -',
                                                 'numbers': 'spearman_A~B +0.7143 [+0.6000, +0.7143]; '
                                                            'spearman_A~C +0.7143 [+0.6000, +0.7143]; '
                                                            'spearman_B~C +1.0000 [+1.0000, +1.0000]; '
                                                            'overlap_AB 0.6667; overlap_AC 0.6667; '
                                                            'overlap_BC 0.3333; set_A 1-2-6; set_B 1-2-3; '
                                                            'set_C 1-4-6; seeds 3',
                                                 'strict': '',
                                                 'verdict': 'A~B +, A~C +, B~C +'},
 'test_cross_claims[tiny-tiny-llama-64-sgd]': {'expected': 'A~B -, A~C +, B~C -',
                                               'numbers': 'spearman_A~B +0.8857 [+0.7143, +0.8857]; '
                                                          'spearman_A~C +0.8857 [+0.7143, +0.8857]; '
                                                          'spearman_B~C +1.0000 [+1.0000, +1.0000]; '
                                                          'overlap_AB 0.6667; overlap_AC 0.6667; overlap_BC '
                                                          '0.3333; set_A 1-2-6; set_B 1-2-3; set_C 1-4-6; '
                                                          'seeds 3',
                                               'strict': '',
                                               'verdict': 'A~B +, A~C +, B~C +'},
 'test_deviation_ablation[real-smollm2-135m]': {'expected': 'reproduced',
                                                'numbers': 'high_dev '
                                                           '3-10-12-19-20-21-22-23-24-25-26-27-28-29-30; '
                                                           'low_dev 1-2-4-5-6-7-8-9-11-13-14-15-16-17-18; '
                                                           'low_minus_high +0.0141 [-0.0013, +0.0343]; '
                                                           'high_minus_all_blocks +0.0148 [-0.0144, '
                                                           '+0.0362]; low_minus_all_blocks +0.0289 [+0.0199, '
                                                           '+0.0349]; heldout_all_blocks 3.654; '
                                                           'heldout_high_dev 3.669; heldout_low_dev 3.683; '
                                                           'high_dev_trainable_frac 0.5; '
                                                           'high_dev_backward_frac 0.6512; '
                                                           'low_dev_trainable_frac 0.5; '
                                                           'low_dev_backward_frac 0.6794; lr all_blocks '
                                                           '0.0003, high_dev 0.0003, low_dev 0.0003; seeds 3',
                                                'strict': '',
                                                'verdict': 'inconclusive'},
 'test_deviation_ablation[tiny-tiny-gpt2-64]': {'expected': 'reproduced',
                                                'fragile': 'other numerics: inconclusive / - (high_dev '
                                                           '1-2-3; low_dev 4-5-6; low_minus_high -0.0028 '
                                                           '[-0.0110, +0.0068]; high_minus_all_blocks '
                                                           '+0.0013 [-0.0034, +0.0061]; low_minus_all_blocks '
                                                           '-0.0015 [-0.0099, +0.0034]; heldout_all_blocks '
                                                           '5.914; heldout_high_dev 5.915; heldout_low_dev '
                                                           '5.912; high_dev_trainable_frac 0.5; '
                                                           'high_dev_backward_frac 0.9996; '
                                                           'low_dev_trainable_frac 0.5; '
                                                           'low_dev_backward_frac 0.6454; lr all_blocks '
                                                           '0.001, high_dev 0.003, low_dev 0.003; seeds 3)',
                                                'numbers': 'high_dev 1-2-4; low_dev 3-5-6; low_minus_high '
                                                           '-0.0161 [-0.0189, -0.0111]; '
                                                           'high_minus_all_blocks +0.0113 [+0.0051, '
                                                           '+0.0144]; low_minus_all_blocks -0.0048 [-0.0060, '
                                                           '-0.0040]; heldout_all_blocks 5.902; '
                                                           'heldout_high_dev 5.914; heldout_low_dev 5.898; '
                                                           'high_dev_trainable_frac 0.5; '
                                                           'high_dev_backward_frac 0.9577; '
                                                           'low_dev_trainable_frac 0.5; '
                                                           'low_dev_backward_frac 0.8453; lr all_blocks '
                                                           '0.001, high_dev 0.003, low_dev 0.003; seeds 3',
                                                'strict': '',
                                                'verdict': 'reversed'},
 'test_deviation_ablation[tiny-tiny-llama-64]': {'expected': 'reproduced',
                                                 'fragile': 'other numerics: reproduced / - (high_dev 1-2-6; '
                                                            'low_dev 3-4-5; low_minus_high +0.0069 [+0.0026, '
                                                            '+0.0097]; high_minus_all_blocks +0.0011 '
                                                            '[-0.0023, +0.0049]; low_minus_all_blocks '
                                                            '+0.0081 [+0.0062, +0.0105]; heldout_all_blocks '
                                                            '5.703; heldout_high_dev 5.704; heldout_low_dev '
                                                            '5.711; high_dev_trainable_frac 0.5; '
                                                            'high_dev_backward_frac 0.7818; '
                                                            'low_dev_trainable_frac 0.5; '
                                                            'low_dev_backward_frac 0.6511; lr all_blocks '
                                                            '0.001, high_dev 0.003, low_dev 0.003; seeds 3)',
                                                 'numbers': 'high_dev 1-4-6; low_dev 2-3-5; low_minus_high '
                                                            '+0.0009 [-0.0048, +0.0097]; '
                                                            'high_minus_all_blocks +0.0022 [-0.0012, '
                                                            '+0.0087]; low_minus_all_blocks +0.0031 '
                                                            '[-0.0056, +0.0085]; heldout_all_blocks 5.725; '
                                                            'heldout_high_dev 5.727; heldout_low_dev 5.728; '
                                                            'high_dev_trainable_frac 0.5; '
                                                            'high_dev_backward_frac 1.099; '
                                                            'low_dev_trainable_frac 0.5; '
                                                            'low_dev_backward_frac 1.012; lr all_blocks '
                                                            '0.001, high_dev 0.003, low_dev 0.003; seeds 3',
                                                 'strict': '',
                                                 'verdict': 'inconclusive'},
 'test_deviation_location[real-smollm2-135m]': {'expected': 'reproduced',
                                                'numbers': 'top_k '
                                                           '3-10-12-19-20-21-22-23-24-25-26-27-28-29-30; '
                                                           'top_k_in_first_part +2.0000 [+2.0000, +2.0000]; '
                                                           'first_part_below_depth 0.3333; d [47.8 42.6 48.5 '
                                                           '20.7 22.5 24.6 26.5 29.8 39.6 52.1 46.1 499 33.2 '
                                                           '34.2 32.3 41.8 43.9 39.6 52.1 62.5 71.9 88.1 '
                                                           '98.4 123 250 125 127 237 511 707]; k 15; '
                                                           'probe_seqs 16',
                                                'strict': '',
                                                'verdict': 'not reproduced'},
 'test_deviation_location[tiny-tiny-gpt2-64]': {'expected': 'reproduced',
                                                'numbers': 'top_k 1-2-4; top_k_in_first_part +2.0000 '
                                                           '[+2.0000, +2.0000]; first_part_below_depth '
                                                           '0.3333; d [15.5 5.5 4.92 5.14 4.11 2.87]; k 3; '
                                                           'probe_seqs 48',
                                                'strict': '',
                                                'verdict': 'not reproduced'},
 'test_deviation_location[tiny-tiny-llama-64]': {'expected': 'reproduced',
                                                 'numbers': 'top_k 1-4-6; top_k_in_first_part +1.0000 '
                                                            '[+1.0000, +1.0000]; first_part_below_depth '
                                                            '0.3333; d [8.71 2.82 1.88 2.96 2.29 4.61]; k 3; '
                                                            'probe_seqs 48',
                                                 'strict': '',
                                                 'verdict': 'not reproduced'},
 'test_equal_step[real-minilm-cls-adamw]': {'expected': 'retained',
                                            'numbers': 'control_strength 0.05286; r_spread 0.1782; '
                                                       'controlled_slope +0.0169 [+0.0155, +0.0185]; '
                                                       'controlled_excess +0.0169 [+0.0155, +0.0185]; '
                                                       'controlled_shape_excess +1.2030 [+1.1346, +1.2878]; '
                                                       'control_minus_standard +0.0005 [+0.0004, +0.0006]; '
                                                       'final_loss_std 1.582; final_loss_ctrl 1.583; seeds 3',
                                            'strict': 'control inert',
                                            'verdict': 'control inert'},
 'test_equal_step[real-minilm-cls-sgd]': {'expected': 'retained',
                                          'numbers': 'control_strength 0.3982; r_spread 1.126; '
                                                     'controlled_slope +0.0099 [+0.0076, +0.0114]; '
                                                     'controlled_excess +0.0099 [+0.0076, +0.0114]; '
                                                     'controlled_shape_excess +0.8101 [+0.7475, +0.8730]; '
                                                     'control_minus_standard +0.0011 [+0.0006, +0.0015]; '
                                                     'final_loss_std 1.558; final_loss_ctrl 1.559; seeds 3',
                                          'strict': 'steeper than null',
                                          'verdict': 'retained'},
 'test_equal_step[real-minilm-mlm-adamw]': {'expected': 'retained',
                                            'numbers': 'control_strength 0.06908; r_spread 0.2307; '
                                                       'controlled_slope +0.1580 [+0.1401, +0.1717]; '
                                                       'controlled_excess +0.1580 [+0.1401, +0.1717]; '
                                                       'controlled_shape_excess +1.6146 [+1.5345, +1.7126]; '
                                                       'control_minus_standard +0.0031 [+0.0024, +0.0041]; '
                                                       'final_loss_std 7.971; final_loss_ctrl 7.982; seeds 3',
                                            'strict': 'control inert',
                                            'verdict': 'control inert'},
 'test_equal_step[real-minilm-mlm-sgd]': {'expected': 'retained',
                                          'numbers': 'control_strength 0.2336; r_spread 0.7385; '
                                                     'controlled_slope +0.2400 [+0.2181, +0.2646]; '
                                                     'controlled_excess +0.2400 [+0.2181, +0.2646]; '
                                                     'controlled_shape_excess +0.0935 [+0.0007, +0.2243]; '
                                                     'control_minus_standard +0.0057 [+0.0036, +0.0084]; '
                                                     'final_loss_std 7.673; final_loss_ctrl 7.683; seeds 3',
                                          'strict': 'steeper than null',
                                          'verdict': 'retained'},
 'test_equal_step[real-smollm2-135m-clm-adamw]': {'expected': 'retained',
                                                  'numbers': 'control_strength 0.01657; r_spread 0.07043; '
                                                             'controlled_slope +0.0366 [+0.0329, +0.0398]; '
                                                             'controlled_excess +0.0363 [+0.0325, +0.0395]; '
                                                             'controlled_shape_excess +0.4179 [-0.0120, '
                                                             '+0.7789]; control_minus_standard -0.0001 '
                                                             '[-0.0001, -0.0001]; final_loss_std 3.823; '
                                                             'final_loss_ctrl 3.824; seeds 3',
                                                  'strict': 'control inert',
                                                  'verdict': 'control inert'},
 'test_equal_step[real-smollm2-135m-clm-sgd]': {'expected': 'retained',
                                                'numbers': 'control_strength 0.338; r_spread 1.98; '
                                                           'controlled_slope +0.0190 [+0.0172, +0.0210]; '
                                                           'controlled_excess +0.0190 [+0.0172, +0.0210]; '
                                                           'controlled_shape_excess +0.4697 [+0.3343, '
                                                           '+0.5919]; control_minus_standard -0.0037 '
                                                           '[-0.0043, -0.0030]; final_loss_std 3.797; '
                                                           'final_loss_ctrl 3.808; seeds 3',
                                                'strict': 'steeper than null',
                                                'verdict': 'retained'},
 'test_equal_step[tiny-tiny-bert-64-cls-adamw]': {'expected': 'retained',
                                                  'numbers': 'control_strength 0.0225; r_spread 0.07741; '
                                                             'controlled_slope +0.0098 [+0.0066, +0.0118]; '
                                                             'controlled_excess +0.0098 [+0.0065, +0.0118]; '
                                                             'controlled_shape_excess +0.8921 [+0.8349, '
                                                             '+0.9346]; control_minus_standard -0.0000 '
                                                             '[-0.0000, -0.0000]; final_loss_std 1.611; '
                                                             'final_loss_ctrl 1.611; seeds 3',
                                                  'strict': 'control inert',
                                                  'verdict': 'control inert'},
 'test_equal_step[tiny-tiny-bert-64-cls-sgd]': {'expected': 'retained',
                                                'numbers': 'control_strength 0.1374; r_spread 0.5483; '
                                                           'controlled_slope +0.0001 [+0.0000, +0.0001]; '
                                                           'controlled_excess +0.0001 [+0.0000, +0.0001]; '
                                                           'controlled_shape_excess -0.3614 [-0.6382, '
                                                           '-0.2753]; control_minus_standard +0.0000 '
                                                           '[+0.0000, +0.0000]; final_loss_std 1.617; '
                                                           'final_loss_ctrl 1.617; seeds 3',
                                                'strict': 'explained by accumulation',
                                                'verdict': 'retained'},
 'test_equal_step[tiny-tiny-bert-64-mlm-adamw]': {'expected': 'retained',
                                                  'numbers': 'control_strength 0.01801; r_spread 0.06596; '
                                                             'controlled_slope +0.0242 [+0.0221, +0.0257]; '
                                                             'controlled_excess +0.0238 [+0.0217, +0.0254]; '
                                                             'controlled_shape_excess +0.3327 [+0.1676, '
                                                             '+0.5184]; control_minus_standard +0.0001 '
                                                             '[+0.0001, +0.0002]; final_loss_std 6.433; '
                                                             'final_loss_ctrl 6.433; seeds 3',
                                                  'strict': 'control inert',
                                                  'verdict': 'control inert'},
 'test_equal_step[tiny-tiny-bert-64-mlm-sgd]': {'expected': 'retained',
                                                'fragile': 'other numerics: inconclusive / no slope '
                                                           '(control_strength 0.2031; r_spread 0.7791; '
                                                           'controlled_slope -0.0003 [-0.0004, -0.0002]; '
                                                           'controlled_excess -0.0003 [-0.0004, -0.0002]; '
                                                           'controlled_shape_excess -0.7676 [-0.8459, '
                                                           '-0.7021]; control_minus_standard +0.0003 '
                                                           '[+0.0002, +0.0004]; final_loss_std 6.435; '
                                                           'final_loss_ctrl 6.435; seeds 3)',
                                                'numbers': 'control_strength 0.2219; r_spread 0.8469; '
                                                           'controlled_slope +0.0008 [+0.0002, +0.0017]; '
                                                           'controlled_excess +0.0008 [+0.0002, +0.0017]; '
                                                           'controlled_shape_excess -0.5120 [-0.5959, '
                                                           '-0.4170]; control_minus_standard +0.0003 '
                                                           '[+0.0002, +0.0004]; final_loss_std 6.432; '
                                                           'final_loss_ctrl 6.432; seeds 3',
                                                'strict': 'explained by accumulation',
                                                'verdict': 'retained'},
 'test_equal_step[tiny-tiny-codegen-64-clm-adamw]': {'expected': 'retained',
                                                     'numbers': 'control_strength 0.07928; r_spread 0.3113; '
                                                                'controlled_slope +0.0150 [+0.0138, '
                                                                '+0.0159]; controlled_excess +0.0150 '
                                                                '[+0.0137, +0.0158]; controlled_shape_excess '
                                                                '+0.7285 [+0.6446, +0.7929]; '
                                                                'control_minus_standard -0.0008 [-0.0009, '
                                                                '-0.0007]; final_loss_std 5.684; '
                                                                'final_loss_ctrl 5.683; seeds 3',
                                                     'strict': 'control inert',
                                                     'verdict': 'control inert'},
 'test_equal_step[tiny-tiny-codegen-64-clm-sgd]': {'expected': 'retained',
                                                   'numbers': 'control_strength 0.2533; r_spread 0.9476; '
                                                              'controlled_slope +0.0047 [+0.0040, +0.0056]; '
                                                              'controlled_excess +0.0047 [+0.0040, +0.0056]; '
                                                              'controlled_shape_excess +0.2053 [+0.1595, '
                                                              '+0.2495]; control_minus_standard +0.0008 '
                                                              '[+0.0007, +0.0009]; final_loss_std 5.637; '
                                                              'final_loss_ctrl 5.637; seeds 3',
                                                   'strict': 'steeper than null',
                                                   'verdict': 'retained'},
 'test_equal_step[tiny-tiny-codegen-64-cls-adamw]': {'expected': 'collapsed',
                                                     'numbers': 'control_strength 0.07052; r_spread 0.2765; '
                                                                'controlled_slope +0.0382 [+0.0352, '
                                                                '+0.0412]; controlled_excess +0.0382 '
                                                                '[+0.0351, +0.0411]; controlled_shape_excess '
                                                                '+0.8182 [+0.6838, +1.0315]; '
                                                                'control_minus_standard +0.0030 [+0.0023, '
                                                                '+0.0038]; final_loss_std 1.593; '
                                                                'final_loss_ctrl 1.596; seeds 3',
                                                     'strict': 'control inert',
                                                     'verdict': 'control inert'},
 'test_equal_step[tiny-tiny-codegen-64-cls-sgd]': {'expected': 'collapsed',
                                                   'numbers': 'control_strength 0.3189; r_spread 1.16; '
                                                              'controlled_slope +0.0001 [+0.0001, +0.0002]; '
                                                              'controlled_excess +0.0001 [+0.0001, +0.0002]; '
                                                              'controlled_shape_excess +0.0324 [-0.0764, '
                                                              '+0.1691]; control_minus_standard -0.0000 '
                                                              '[-0.0001, -0.0000]; final_loss_std 1.652; '
                                                              'final_loss_ctrl 1.653; seeds 3',
                                                   'strict': 'explained by accumulation',
                                                   'verdict': 'retained'},
 'test_equal_step[tiny-tiny-gpt2-64-clm-adamw]': {'expected': 'retained',
                                                  'numbers': 'control_strength 0.04234; r_spread 0.1626; '
                                                             'controlled_slope +0.0229 [+0.0204, +0.0254]; '
                                                             'controlled_excess +0.0226 [+0.0201, +0.0253]; '
                                                             'controlled_shape_excess +0.6276 [+0.5783, '
                                                             '+0.6593]; control_minus_standard -0.0006 '
                                                             '[-0.0009, -0.0003]; final_loss_std 5.876; '
                                                             'final_loss_ctrl 5.876; seeds 3',
                                                  'strict': 'control inert',
                                                  'verdict': 'control inert'},
 'test_equal_step[tiny-tiny-gpt2-64-clm-sgd]': {'expected': 'retained',
                                                'numbers': 'control_strength 0.6871; r_spread 2.954; '
                                                           'controlled_slope +0.0133 [+0.0118, +0.0153]; '
                                                           'controlled_excess +0.0132 [+0.0118, +0.0152]; '
                                                           'controlled_shape_excess -0.0221 [-0.2161, '
                                                           '+0.0482]; control_minus_standard +0.0050 '
                                                           '[+0.0041, +0.0058]; final_loss_std 5.874; '
                                                           'final_loss_ctrl 5.849; seeds 3',
                                                'strict': 'explained by accumulation',
                                                'verdict': 'retained'},
 'test_equal_step[tiny-tiny-gpt2-64-cls-adamw]': {'expected': 'retained',
                                                  'numbers': 'control_strength 0.05635; r_spread 0.2066; '
                                                             'controlled_slope +0.1432 [+0.0651, +0.1877]; '
                                                             'controlled_excess +0.1428 [+0.0645, +0.1874]; '
                                                             'controlled_shape_excess +0.3816 [+0.1320, '
                                                             '+0.4741]; control_minus_standard +0.0039 '
                                                             '[-0.0018, +0.0113]; final_loss_std 1.593; '
                                                             'final_loss_ctrl 1.594; seeds 3',
                                                  'strict': 'control inert',
                                                  'verdict': 'control inert'},
 'test_equal_step[tiny-tiny-gpt2-64-cls-sgd]': {'expected': 'retained',
                                                'numbers': 'control_strength 0.4277; r_spread 1.799; '
                                                           'controlled_slope +0.0000 [+0.0000, +0.0000]; '
                                                           'controlled_excess +0.0000 [+0.0000, +0.0000]; '
                                                           'controlled_shape_excess +0.2864 [+0.2478, '
                                                           '+0.4222]; control_minus_standard -0.0000 '
                                                           '[-0.0001, -0.0000]; final_loss_std 1.622; '
                                                           'final_loss_ctrl 1.622; seeds 3',
                                                'strict': 'steeper than null',
                                                'verdict': 'retained'},
 'test_equal_step[tiny-tiny-gptj-64-clm-adamw]': {'expected': 'retained',
                                                  'numbers': 'control_strength 0.08328; r_spread 0.3066; '
                                                             'controlled_slope +0.0156 [+0.0151, +0.0160]; '
                                                             'controlled_excess +0.0155 [+0.0151, +0.0160]; '
                                                             'controlled_shape_excess +0.7222 [+0.6628, '
                                                             '+0.7996]; control_minus_standard -0.0007 '
                                                             '[-0.0009, -0.0005]; final_loss_std 5.719; '
                                                             'final_loss_ctrl 5.719; seeds 3',
                                                  'strict': 'control inert',
                                                  'verdict': 'control inert'},
 'test_equal_step[tiny-tiny-gptj-64-clm-sgd]': {'expected': 'retained',
                                                'numbers': 'control_strength 0.2819; r_spread 1.012; '
                                                           'controlled_slope +0.0064 [+0.0055, +0.0070]; '
                                                           'controlled_excess +0.0064 [+0.0055, +0.0070]; '
                                                           'controlled_shape_excess +0.3068 [+0.2730, '
                                                           '+0.3317]; control_minus_standard +0.0004 '
                                                           '[-0.0001, +0.0009]; final_loss_std 5.677; '
                                                           'final_loss_ctrl 5.677; seeds 3',
                                                'strict': 'steeper than null',
                                                'verdict': 'retained'},
 'test_equal_step[tiny-tiny-gptj-64-cls-adamw]': {'expected': 'collapsed',
                                                  'numbers': 'control_strength 0.07833; r_spread 0.3007; '
                                                             'controlled_slope +0.0440 [+0.0389, +0.0519]; '
                                                             'controlled_excess +0.0440 [+0.0389, +0.0518]; '
                                                             'controlled_shape_excess +0.7989 [+0.7318, '
                                                             '+0.8510]; control_minus_standard +0.0039 '
                                                             '[+0.0021, +0.0072]; final_loss_std 1.589; '
                                                             'final_loss_ctrl 1.592; seeds 3',
                                                  'strict': 'control inert',
                                                  'verdict': 'control inert'},
 'test_equal_step[tiny-tiny-gptj-64-cls-sgd]': {'expected': 'collapsed',
                                                'numbers': 'control_strength 0.3223; r_spread 1.149; '
                                                           'controlled_slope +0.0016 [+0.0008, +0.0028]; '
                                                           'controlled_excess +0.0016 [+0.0008, +0.0028]; '
                                                           'controlled_shape_excess +0.3575 [+0.2553, '
                                                           '+0.4122]; control_minus_standard -0.0002 '
                                                           '[-0.0002, -0.0001]; final_loss_std 1.644; '
                                                           'final_loss_ctrl 1.642; seeds 3',
                                                'strict': 'steeper than null',
                                                'verdict': 'retained'},
 'test_equal_step[tiny-tiny-llama-64-clm-adamw]': {'expected': 'retained',
                                                   'numbers': 'control_strength 0.04109; r_spread 0.1377; '
                                                              'controlled_slope +0.0208 [+0.0197, +0.0223]; '
                                                              'controlled_excess +0.0208 [+0.0197, +0.0224]; '
                                                              'controlled_shape_excess +0.8713 [+0.6938, '
                                                              '+0.9853]; control_minus_standard -0.0004 '
                                                              '[-0.0005, -0.0002]; final_loss_std 5.746; '
                                                              'final_loss_ctrl 5.746; seeds 3',
                                                   'strict': 'control inert',
                                                   'verdict': 'control inert'},
 'test_equal_step[tiny-tiny-llama-64-clm-sgd]': {'expected': 'retained',
                                                 'numbers': 'control_strength 0.4037; r_spread 1.657; '
                                                            'controlled_slope +0.0165 [+0.0153, +0.0178]; '
                                                            'controlled_excess +0.0165 [+0.0153, +0.0178]; '
                                                            'controlled_shape_excess +0.6904 [+0.5214, '
                                                            '+0.8006]; control_minus_standard +0.0076 '
                                                            '[+0.0061, +0.0101]; final_loss_std 5.704; '
                                                            'final_loss_ctrl 5.699; seeds 3',
                                                 'strict': 'steeper than null',
                                                 'verdict': 'retained'},
 'test_equal_step[tiny-tiny-llama-64-cls-adamw]': {'expected': 'retained',
                                                   'numbers': 'control_strength 0.061; r_spread 0.2124; '
                                                              'controlled_slope +0.1280 [+0.0629, +0.1667]; '
                                                              'controlled_excess +0.1280 [+0.0629, +0.1667]; '
                                                              'controlled_shape_excess +0.8855 [+0.8068, '
                                                              '+0.9709]; control_minus_standard -0.0004 '
                                                              '[-0.0007, +0.0001]; final_loss_std 1.567; '
                                                              'final_loss_ctrl 1.566; seeds 3',
                                                   'strict': 'control inert',
                                                   'verdict': 'control inert'},
 'test_equal_step[tiny-tiny-llama-64-cls-sgd]': {'expected': 'retained',
                                                 'numbers': 'control_strength 0.5539; r_spread 2.244; '
                                                            'controlled_slope +0.0000 [+0.0000, +0.0000]; '
                                                            'controlled_excess +0.0000 [+0.0000, +0.0000]; '
                                                            'controlled_shape_excess +1.2524 [+0.8186, '
                                                            '+1.6406]; control_minus_standard -0.0000 '
                                                            '[-0.0000, -0.0000]; final_loss_std 1.614; '
                                                            'final_loss_ctrl 1.613; seeds 3',
                                                 'strict': 'steeper than null',
                                                 'verdict': 'retained'},
 'test_equal_step[tiny-tiny-neox-64-clm-adamw]': {'expected': 'retained',
                                                  'numbers': 'control_strength 0.07358; r_spread 0.279; '
                                                             'controlled_slope +0.0142 [+0.0125, +0.0156]; '
                                                             'controlled_excess +0.0142 [+0.0125, +0.0155]; '
                                                             'controlled_shape_excess +0.6136 [+0.5881, '
                                                             '+0.6422]; control_minus_standard -0.0006 '
                                                             '[-0.0009, -0.0003]; final_loss_std 5.69; '
                                                             'final_loss_ctrl 5.689; seeds 3',
                                                  'strict': 'control inert',
                                                  'verdict': 'control inert'},
 'test_equal_step[tiny-tiny-neox-64-clm-sgd]': {'expected': 'retained',
                                                'numbers': 'control_strength 0.2473; r_spread 1.022; '
                                                           'controlled_slope +0.0055 [+0.0051, +0.0058]; '
                                                           'controlled_excess +0.0055 [+0.0051, +0.0058]; '
                                                           'controlled_shape_excess +0.2950 [+0.2556, '
                                                           '+0.3380]; control_minus_standard +0.0007 '
                                                           '[+0.0006, +0.0008]; final_loss_std 5.645; '
                                                           'final_loss_ctrl 5.645; seeds 3',
                                                'strict': 'steeper than null',
                                                'verdict': 'retained'},
 'test_equal_step[tiny-tiny-neox-64-cls-adamw]': {'expected': 'collapsed',
                                                  'numbers': 'control_strength 0.0733; r_spread 0.2844; '
                                                             'controlled_slope +0.0315 [+0.0199, +0.0527]; '
                                                             'controlled_excess +0.0315 [+0.0198, +0.0526]; '
                                                             'controlled_shape_excess +0.7320 [+0.5967, '
                                                             '+0.8088]; control_minus_standard +0.0032 '
                                                             '[-0.0004, +0.0072]; final_loss_std 1.595; '
                                                             'final_loss_ctrl 1.597; seeds 3',
                                                  'strict': 'control inert',
                                                  'verdict': 'control inert'},
 'test_equal_step[tiny-tiny-neox-64-cls-sgd]': {'expected': 'collapsed',
                                                'numbers': 'control_strength 0.3411; r_spread 1.332; '
                                                           'controlled_slope +0.0000 [+0.0000, +0.0000]; '
                                                           'controlled_excess +0.0000 [+0.0000, +0.0000]; '
                                                           'controlled_shape_excess +0.0936 [-0.0844, '
                                                           '+0.2895]; control_minus_standard -0.0000 '
                                                           '[-0.0000, +0.0000]; final_loss_std 1.623; '
                                                           'final_loss_ctrl 1.623; seeds 3',
                                                'strict': 'explained by accumulation',
                                                'verdict': 'retained'},
 'test_equal_step[tiny-tiny-opt-64-clm-adamw]': {'expected': 'retained',
                                                 'numbers': 'control_strength 0.03596; r_spread 0.134; '
                                                            'controlled_slope +0.0166 [+0.0127, +0.0199]; '
                                                            'controlled_excess +0.0165 [+0.0126, +0.0198]; '
                                                            'controlled_shape_excess +0.5191 [+0.3789, '
                                                            '+0.6213]; control_minus_standard -0.0005 '
                                                            '[-0.0007, -0.0004]; final_loss_std 5.846; '
                                                            'final_loss_ctrl 5.846; seeds 3',
                                                 'strict': 'control inert',
                                                 'verdict': 'control inert'},
 'test_equal_step[tiny-tiny-opt-64-clm-sgd]': {'expected': 'retained',
                                               'numbers': 'control_strength 0.5991; r_spread 2.446; '
                                                          'controlled_slope +0.0114 [+0.0077, +0.0163]; '
                                                          'controlled_excess +0.0114 [+0.0077, +0.0163]; '
                                                          'controlled_shape_excess +0.0384 [-0.0641, '
                                                          '+0.1741]; control_minus_standard +0.0060 '
                                                          '[+0.0055, +0.0066]; final_loss_std 5.832; '
                                                          'final_loss_ctrl 5.818; seeds 3',
                                               'strict': 'explained by accumulation',
                                               'verdict': 'retained'},
 'test_equal_step[tiny-tiny-opt-64-cls-adamw]': {'expected': 'retained',
                                                 'fragile': 'other numerics: retained / steeper than null '
                                                            '(control_strength 0.1124; r_spread 0.4307; '
                                                            'controlled_slope +0.0968 [+0.0829, +0.1117]; '
                                                            'controlled_excess +0.0968 [+0.0829, +0.1116]; '
                                                            'controlled_shape_excess +0.5689 [+0.4859, '
                                                            '+0.7763]; control_minus_standard -0.0022 '
                                                            '[-0.0075, +0.0016]; final_loss_std 1.575; '
                                                            'final_loss_ctrl 1.578; seeds 3)',
                                                 'numbers': 'control_strength 0.08716; r_spread 0.3494; '
                                                            'controlled_slope +0.1392 [+0.0950, +0.2112]; '
                                                            'controlled_excess +0.1390 [+0.0948, +0.2111]; '
                                                            'controlled_shape_excess +0.5492 [+0.4169, '
                                                            '+0.6763]; control_minus_standard -0.0027 '
                                                            '[-0.0052, -0.0011]; final_loss_std 1.589; '
                                                            'final_loss_ctrl 1.588; seeds 3',
                                                 'strict': 'control inert',
                                                 'verdict': 'control inert'},
 'test_equal_step[tiny-tiny-opt-64-cls-sgd]': {'expected': 'retained',
                                               'numbers': 'control_strength 0.3739; r_spread 1.649; '
                                                          'controlled_slope +0.0000 [+0.0000, +0.0001]; '
                                                          'controlled_excess +0.0000 [+0.0000, +0.0001]; '
                                                          'controlled_shape_excess +0.5097 [+0.4786, '
                                                          '+0.8637]; control_minus_standard -0.0000 '
                                                          '[-0.0001, -0.0000]; final_loss_std 1.62; '
                                                          'final_loss_ctrl 1.62; seeds 3',
                                               'strict': 'steeper than null',
                                               'verdict': 'retained'},
 'test_first_n_frozen[real-smollm2-135m]': {'expected': 'selected better',
                                            'numbers': 'selected '
                                                       '3-10-12-19-20-21-22-23-24-25-26-27-28-29-30; '
                                                       'n_frozen 15; selected_minus_first_n -0.0767 '
                                                       '[-0.0810, -0.0713]; selected_minus_all_blocks '
                                                       '+0.0148 [-0.0144, +0.0362]; first_n_minus_all_blocks '
                                                       '+0.0915 [+0.0634, +0.1075]; heldout_all_blocks '
                                                       '3.654; heldout_selected 3.669; heldout_first_n '
                                                       '3.746; selected_trainable_frac 0.5; '
                                                       'selected_backward_frac 0.6512; '
                                                       'first_n_trainable_frac 0.5; first_n_backward_frac '
                                                       '0.4993; lr all_blocks 0.0003, selected 0.0003, '
                                                       'first_n 0.0003; seeds 3',
                                            'strict': '',
                                            'verdict': 'selected better'},
 'test_first_n_frozen[tiny-tiny-gpt2-64]': {'expected': 'selected better',
                                            'fragile': 'other numerics: no difference / - (selected 1-2-3; '
                                                       'n_frozen 3; selected_minus_first_n +0.0028 [-0.0068, '
                                                       '+0.0110]; selected_minus_all_blocks +0.0013 '
                                                       '[-0.0034, +0.0061]; first_n_minus_all_blocks -0.0015 '
                                                       '[-0.0099, +0.0034]; heldout_all_blocks 5.914; '
                                                       'heldout_selected 5.915; heldout_first_n 5.912; '
                                                       'selected_trainable_frac 0.5; selected_backward_frac '
                                                       '0.9996; first_n_trainable_frac 0.5; '
                                                       'first_n_backward_frac 0.6454; lr all_blocks 0.001, '
                                                       'selected 0.003, first_n 0.003; seeds 3)',
                                            'numbers': 'selected 1-2-4; n_frozen 3; selected_minus_first_n '
                                                       '+0.0045 [+0.0019, +0.0091]; '
                                                       'selected_minus_all_blocks +0.0113 [+0.0051, '
                                                       '+0.0144]; first_n_minus_all_blocks +0.0068 [+0.0027, '
                                                       '+0.0125]; heldout_all_blocks 5.902; heldout_selected '
                                                       '5.914; heldout_first_n 5.909; '
                                                       'selected_trainable_frac 0.5; selected_backward_frac '
                                                       '0.9577; first_n_trainable_frac 0.5; '
                                                       'first_n_backward_frac 0.5983; lr all_blocks 0.001, '
                                                       'selected 0.003, first_n 0.003; seeds 3',
                                            'strict': '',
                                            'verdict': 'first N better'},
 'test_first_n_frozen[tiny-tiny-llama-64]': {'expected': 'selected better',
                                             'numbers': 'selected 1-4-6; n_frozen 3; selected_minus_first_n '
                                                        '-0.0002 [-0.0072, +0.0057]; '
                                                        'selected_minus_all_blocks +0.0022 [-0.0012, '
                                                        '+0.0087]; first_n_minus_all_blocks +0.0024 '
                                                        '[-0.0065, +0.0079]; heldout_all_blocks 5.725; '
                                                        'heldout_selected 5.727; heldout_first_n 5.727; '
                                                        'selected_trainable_frac 0.5; selected_backward_frac '
                                                        '1.099; first_n_trainable_frac 0.5; '
                                                        'first_n_backward_frac 0.6437; lr all_blocks 0.001, '
                                                        'selected 0.003, first_n 0.003; seeds 3',
                                             'strict': '',
                                             'verdict': 'no difference'},
 'test_layer_diagnostics[real-smollm2-135m]': {'expected': 'reproduced',
                                               'numbers': 'ls_first_minus_second_half +0.0032 [+0.0015, '
                                                          '+0.0048]; ls_slope -0.0026 [-0.0063, +0.0012]; ls '
                                                          '[0.0121 0.0122 0.0169 0.0104 0.00732 0.00779 '
                                                          '0.00461 0.00525 0.00642 0.00587 0.00534 0.0318 '
                                                          '0.00578 0.00646 0.00789 0.00446 0.00448 0.00328 '
                                                          '0.0038 0.00543 0.00344 0.00426 0.0047 0.0064 '
                                                          '0.0109 0.00288 0.00274 0.0048 0.00749 0.0287]; tp '
                                                          '[0.077 0.030 0.043 0.034 0.038 0.055 0.043 0.047 '
                                                          '0.068 0.055 0.055 0.077 0.089 0.089 0.085 0.102 '
                                                          '0.102 0.085 0.089 0.106 0.145 0.128 0.174 0.191 '
                                                          '0.213 0.230 0.234 0.238 0.272 0.370]; '
                                                          'tp_onset_depth 0.8621; eps 0.05; seeds 3',
                                               'strict': '',
                                               'verdict': 'reproduced'},
 'test_layer_diagnostics[tiny-tiny-gpt2-64]': {'expected': 'reproduced',
                                               'numbers': 'ls_first_minus_second_half +0.0002 [+0.0002, '
                                                          '+0.0003]; ls_slope -0.0004 [-0.0006, -0.0003]; ls '
                                                          '[0.000771 4.44e-05 3.25e-05 3.55e-05 2.45e-05 '
                                                          '0.000169]; tp [0.086 0.092 0.116 0.121 0.120 '
                                                          '0.124]; tp_onset_depth 0.4; eps 0.05; seeds 3',
                                               'strict': '',
                                               'verdict': 'LS shallow, TP not deep'},
 'test_layer_diagnostics[tiny-tiny-llama-64]': {'expected': 'reproduced',
                                                'numbers': 'ls_first_minus_second_half +0.0003 [+0.0002, '
                                                           '+0.0005]; ls_slope -0.0006 [-0.0011, -0.0003]; '
                                                           'ls [0.00114 6.5e-05 2.81e-05 7.37e-05 3.28e-05 '
                                                           '0.000296]; tp [0.084 0.106 0.115 0.123 0.135 '
                                                           '0.161]; tp_onset_depth 0.6; eps 0.05; seeds 3',
                                                'strict': '',
                                                'verdict': 'reproduced'},
 'test_local_vs_propagated[real-minilm-cls]': {'expected': '',
                                               'numbers': 'local_slope +0.0004 [+0.0003, +0.0005]; '
                                                          'local_rel_slope +1.0471 [+0.8301, +1.2659]; '
                                                          'propagated_slope +0.0165 [+0.0151, +0.0180]; '
                                                          'last_over_local_sum 9.029; seeds 3',
                                               'strict': '',
                                               'verdict': 'learned near the output'},
 'test_local_vs_propagated[real-minilm-mlm]': {'expected': '',
                                               'numbers': 'local_slope +0.0079 [+0.0075, +0.0083]; '
                                                          'local_rel_slope +2.5348 [+2.4787, +2.5938]; '
                                                          'propagated_slope +0.1549 [+0.1377, +0.1678]; '
                                                          'last_over_local_sum 10.69; seeds 3',
                                               'strict': '',
                                               'verdict': 'learned near the output'},
 'test_local_vs_propagated[real-smollm2-135m-clm]': {'expected': '',
                                                     'numbers': 'local_slope -0.0003 [-0.0003, -0.0002]; '
                                                                'local_rel_slope -1.1982 [-1.4569, -0.9881]; '
                                                                'propagated_slope +0.0367 [+0.0329, '
                                                                '+0.0399]; last_over_local_sum 7.917; seeds '
                                                                '3',
                                                     'strict': '',
                                                     'verdict': 'accumulated, not learned near the output'},
 'test_local_vs_propagated[tiny-minilm-cls]': {'expected': '',
                                               'numbers': 'local_slope +0.0007 [+0.0006, +0.0008]; '
                                                          'local_rel_slope +0.3872 [+0.3448, +0.4277]; '
                                                          'propagated_slope +0.1029 [+0.0900, +0.1187]; '
                                                          'last_over_local_sum 9.997; seeds 3',
                                               'strict': '',
                                               'verdict': 'learned near the output'},
 'test_local_vs_propagated[tiny-minilm-mlm]': {'expected': '',
                                               'numbers': 'local_slope +0.0230 [+0.0219, +0.0241]; '
                                                          'local_rel_slope +2.6050 [+2.5467, +2.6528]; '
                                                          'propagated_slope +0.3380 [+0.3173, +0.3701]; '
                                                          'last_over_local_sum 8.107; seeds 3',
                                               'strict': '',
                                               'verdict': 'learned near the output'},
 'test_local_vs_propagated[tiny-tiny-bert-64-cls]': {'expected': '',
                                                     'numbers': 'local_slope -0.0003 [-0.0003, -0.0002]; '
                                                                'local_rel_slope -0.6389 [-0.6866, -0.6052]; '
                                                                'propagated_slope +0.0099 [+0.0066, '
                                                                '+0.0118]; last_over_local_sum 4.003; seeds '
                                                                '3',
                                                     'strict': '',
                                                     'verdict': 'accumulated, not learned near the output'},
 'test_local_vs_propagated[tiny-tiny-bert-64-mlm]': {'expected': '',
                                                     'numbers': 'local_slope -0.0039 [-0.0065, -0.0016]; '
                                                                'local_rel_slope -1.4944 [-1.9744, -0.7580]; '
                                                                'propagated_slope +0.0240 [+0.0219, '
                                                                '+0.0256]; last_over_local_sum 2.244; seeds '
                                                                '3',
                                                     'strict': '',
                                                     'verdict': 'accumulated, not learned near the output'},
 'test_local_vs_propagated[tiny-tiny-codegen-64-clm]': {'expected': '',
                                                        'numbers': 'local_slope -0.0032 [-0.0034, -0.0029]; '
                                                                   'local_rel_slope -2.1511 [-2.2663, '
                                                                   '-2.0611]; propagated_slope +0.0158 '
                                                                   '[+0.0147, +0.0166]; last_over_local_sum '
                                                                   '2.732; seeds 3',
                                                        'strict': '',
                                                        'verdict': 'accumulated, not learned near the '
                                                                   'output'},
 'test_local_vs_propagated[tiny-tiny-codegen-64-cls]': {'expected': '',
                                                        'numbers': 'local_slope -0.0075 [-0.0108, -0.0044]; '
                                                                   'local_rel_slope -2.4718 [-2.6960, '
                                                                   '-1.9015]; propagated_slope +0.0353 '
                                                                   '[+0.0327, +0.0381]; last_over_local_sum '
                                                                   '2.833; seeds 3',
                                                        'strict': '',
                                                        'verdict': 'accumulated, not learned near the '
                                                                   'output'},
 'test_local_vs_propagated[tiny-tiny-gpt2-64-clm]': {'expected': '',
                                                     'numbers': 'local_slope -0.0039 [-0.0043, -0.0035]; '
                                                                'local_rel_slope -1.8908 [-2.0694, -1.7848]; '
                                                                'propagated_slope +0.0234 [+0.0208, '
                                                                '+0.0263]; last_over_local_sum 2.72; seeds 3',
                                                     'strict': '',
                                                     'verdict': 'accumulated, not learned near the output'},
 'test_local_vs_propagated[tiny-tiny-gpt2-64-cls]': {'expected': '',
                                                     'numbers': 'local_slope -0.0686 [-0.0784, -0.0563]; '
                                                                'local_rel_slope -3.6820 [-3.8773, -3.2877]; '
                                                                'propagated_slope +0.1392 [+0.0629, '
                                                                '+0.1830]; last_over_local_sum 2.26; seeds 3',
                                                     'strict': '',
                                                     'verdict': 'accumulated, not learned near the output'},
 'test_local_vs_propagated[tiny-tiny-gptj-64-clm]': {'expected': '',
                                                     'numbers': 'local_slope -0.0033 [-0.0036, -0.0031]; '
                                                                'local_rel_slope -2.2215 [-2.3596, -2.1384]; '
                                                                'propagated_slope +0.0163 [+0.0159, '
                                                                '+0.0167]; last_over_local_sum 2.79; seeds 3',
                                                     'strict': '',
                                                     'verdict': 'accumulated, not learned near the output'},
 'test_local_vs_propagated[tiny-tiny-gptj-64-cls]': {'expected': '',
                                                     'numbers': 'local_slope -0.0094 [-0.0106, -0.0075]; '
                                                                'local_rel_slope -2.6311 [-2.7334, -2.4942]; '
                                                                'propagated_slope +0.0401 [+0.0320, '
                                                                '+0.0498]; last_over_local_sum 2.814; seeds '
                                                                '3',
                                                     'strict': '',
                                                     'verdict': 'accumulated, not learned near the output'},
 'test_local_vs_propagated[tiny-tiny-llama-64-clm]': {'expected': '',
                                                      'numbers': 'local_slope -0.0055 [-0.0063, -0.0047]; '
                                                                 'local_rel_slope -1.7876 [-1.9351, '
                                                                 '-1.5740]; propagated_slope +0.0212 '
                                                                 '[+0.0202, +0.0226]; last_over_local_sum '
                                                                 '1.912; seeds 3',
                                                      'strict': '',
                                                      'verdict': 'accumulated, not learned near the output'},
 'test_local_vs_propagated[tiny-tiny-llama-64-cls]': {'expected': '',
                                                      'numbers': 'local_slope -0.0550 [-0.0763, -0.0258]; '
                                                                 'local_rel_slope -3.3954 [-3.6858, '
                                                                 '-2.7267]; propagated_slope +0.1283 '
                                                                 '[+0.0635, +0.1671]; last_over_local_sum '
                                                                 '2.14; seeds 3',
                                                      'strict': '',
                                                      'verdict': 'accumulated, not learned near the output'},
 'test_local_vs_propagated[tiny-tiny-mamba2-64-clm]': {'expected': '',
                                                       'numbers': 'local_slope -0.0040 [-0.0041, -0.0038]; '
                                                                  'local_rel_slope -2.1617 [-2.2675, '
                                                                  '-2.0345]; propagated_slope +0.0102 '
                                                                  '[+0.0090, +0.0121]; last_over_local_sum '
                                                                  '1.97; seeds 3',
                                                       'strict': '',
                                                       'verdict': 'accumulated, not learned near the output'},
 'test_local_vs_propagated[tiny-tiny-mamba2-64-cls]': {'expected': '',
                                                       'numbers': 'local_slope -0.0048 [-0.0054, -0.0044]; '
                                                                  'local_rel_slope -2.4536 [-2.7856, '
                                                                  '-2.1439]; propagated_slope +0.0101 '
                                                                  '[+0.0077, +0.0142]; last_over_local_sum '
                                                                  '1.635; seeds 3',
                                                       'strict': '',
                                                       'verdict': 'accumulated, not learned near the output'},
 'test_local_vs_propagated[tiny-tiny-neox-64-clm]': {'expected': '',
                                                     'numbers': 'local_slope -0.0042 [-0.0047, -0.0038]; '
                                                                'local_rel_slope -2.6826 [-2.8587, -2.4141]; '
                                                                'propagated_slope +0.0149 [+0.0131, '
                                                                '+0.0165]; last_over_local_sum 2.615; seeds '
                                                                '3',
                                                     'strict': '',
                                                     'verdict': 'accumulated, not learned near the output'},
 'test_local_vs_propagated[tiny-tiny-neox-64-cls]': {'expected': '',
                                                     'numbers': 'local_slope -0.0068 [-0.0124, -0.0027]; '
                                                                'local_rel_slope -2.5144 [-2.8128, -1.5324]; '
                                                                'propagated_slope +0.0284 [+0.0188, '
                                                                '+0.0456]; last_over_local_sum 2.674; seeds '
                                                                '3',
                                                     'strict': '',
                                                     'verdict': 'accumulated, not learned near the output'},
 'test_local_vs_propagated[tiny-tiny-opt-64-clm]': {'expected': '',
                                                    'numbers': 'local_slope -0.0060 [-0.0068, -0.0052]; '
                                                               'local_rel_slope -2.4689 [-2.5364, -2.4106]; '
                                                               'propagated_slope +0.0171 [+0.0134, +0.0203]; '
                                                               'last_over_local_sum 2.067; seeds 3',
                                                    'strict': '',
                                                    'verdict': 'accumulated, not learned near the output'},
 'test_local_vs_propagated[tiny-tiny-opt-64-cls]': {'expected': '',
                                                    'numbers': 'local_slope -0.0652 [-0.0818, -0.0407]; '
                                                               'local_rel_slope -3.6775 [-3.7730, -3.5801]; '
                                                               'propagated_slope +0.1419 [+0.0961, +0.2130]; '
                                                               'last_over_local_sum 2.349; seeds 3',
                                                    'strict': '',
                                                    'verdict': 'accumulated, not learned near the output'},
 'test_local_vs_propagated[tiny-tiny-rwkv-64-clm]': {'expected': '',
                                                     'numbers': 'local_slope -0.0014 [-0.0015, -0.0012]; '
                                                                'local_rel_slope -1.2983 [-1.4239, -1.2209]; '
                                                                'propagated_slope +0.0145 [+0.0129, '
                                                                '+0.0160]; last_over_local_sum 4.249; seeds '
                                                                '3',
                                                     'strict': '',
                                                     'verdict': 'accumulated, not learned near the output'},
 'test_local_vs_propagated[tiny-tiny-rwkv-64-cls]': {'expected': '',
                                                     'numbers': 'local_slope -0.0039 [-0.0053, -0.0028]; '
                                                                'local_rel_slope -2.2295 [-2.4443, -1.9319]; '
                                                                'propagated_slope +0.0300 [+0.0240, '
                                                                '+0.0398]; last_over_local_sum 4.23; seeds 3',
                                                     'strict': '',
                                                     'verdict': 'accumulated, not learned near the output'},
 'test_lora_locus[real-smollm2-135m]': {'expected': 'shape agrees',
                                        'numbers': 'mean_pairwise_spearman 0.4114; min_pairwise_spearman '
                                                   '0.1368; rel_slope_absmean -0.0302; argmax_depth 0.2414; '
                                                   'runs 4; seeds 4',
                                        'strict': '',
                                        'verdict': 'shape agrees'},
 'test_lora_locus[tiny-tiny-gpt2-64]': {'expected': 'shape agrees',
                                        'numbers': 'mean_pairwise_spearman 0.3143; min_pairwise_spearman '
                                                   '0.02857; rel_slope_absmean 0.2424; argmax_depth 1; runs '
                                                   '4; seeds 4',
                                        'strict': '',
                                        'verdict': 'shape agrees'},
 'test_lora_locus[tiny-tiny-llama-64]': {'expected': 'shape agrees',
                                         'numbers': 'mean_pairwise_spearman 0.6; min_pairwise_spearman '
                                                    '0.2571; rel_slope_absmean 0.145; argmax_depth 1; runs '
                                                    '4; seeds 4',
                                         'strict': '',
                                         'verdict': 'shape agrees'},
 'test_lora_locus[tiny-tiny-neox-64]': {'expected': 'shape agrees',
                                        'numbers': 'mean_pairwise_spearman -0.1619; min_pairwise_spearman '
                                                   '-0.8857; rel_slope_absmean -0.06387; argmax_depth 0; '
                                                   'runs 4; seeds 4',
                                        'strict': '',
                                        'verdict': 'shape differs'},
 'test_lora_predicts_full[real-smollm2-135m]': {'expected': 'reproduced',
                                                'numbers': 'spearman_BA~dW +0.3663 [+0.3014, +0.4176]; '
                                                           'spearman_BA~rel_update +0.3519 [+0.2000, '
                                                           '+0.4634]; spearman_BA~delta -0.2001 [-0.2418, '
                                                           '-0.1786]; spearman_A~dW +0.0418 [-0.0977, '
                                                           '+0.1422]; spearman_A~rel_update +0.3118 '
                                                           '[+0.2009, +0.4274]; spearman_A~delta +0.0007 '
                                                           '[-0.1097, +0.1395]; spearman_B~dW +0.5715 '
                                                           '[+0.3927, +0.7232]; spearman_B~rel_update '
                                                           '+0.4768 [+0.1560, +0.6845]; spearman_B~delta '
                                                           '-0.4339 [-0.7455, -0.2316]; BA~dW_per_seed '
                                                           '[+0.301 +0.380 +0.418]; top_half_lora '
                                                           '2-3-4-5-6-7-8-9-12-16-20-21-22-24-25; '
                                                           'top_half_full '
                                                           '1-2-3-4-5-6-7-8-9-11-12-13-14-15-29; '
                                                           'top_half_overlap 0.6; seeds 3',
                                                'strict': 'not reproduced (A~dW ?, BA~delta -)',
                                                'verdict': 'reproduced'},
 'test_lora_predicts_full[tiny-tiny-gpt2-64]': {'expected': 'reproduced',
                                                'numbers': 'spearman_BA~dW +0.1619 [-0.0286, +0.4857]; '
                                                           'spearman_BA~rel_update +0.1810 [-0.0286, '
                                                           '+0.4857]; spearman_BA~delta +0.5810 [+0.4857, '
                                                           '+0.6571]; spearman_A~dW +0.2190 [+0.0286, '
                                                           '+0.4286]; spearman_A~rel_update +0.2571 '
                                                           '[+0.0286, +0.4286]; spearman_A~delta +0.4667 '
                                                           '[-0.0857, +0.8857]; spearman_B~dW +0.2952 '
                                                           '[+0.0857, +0.4857]; spearman_B~rel_update '
                                                           '+0.3524 [+0.0857, +0.4857]; spearman_B~delta '
                                                           '+0.7143 [+0.6000, +0.9429]; BA~dW_per_seed '
                                                           '[-0.029 +0.029 +0.486]; top_half_lora 2-4-6; '
                                                           'top_half_full 3-4-5; top_half_overlap 0.3333; '
                                                           'seeds 3',
                                                'strict': 'not reproduced (BA~dW ?)',
                                                'verdict': 'inconclusive'},
 'test_lora_predicts_full[tiny-tiny-llama-64]': {'expected': 'reproduced',
                                                 'fragile': 'other numerics: reversed / not reproduced '
                                                            '(BA~dW -, A~dW -, B~dW -, BA~delta ?) '
                                                            '(spearman_BA~dW -0.0476 [-0.0857, -0.0286]; '
                                                            'spearman_BA~rel_update +0.1048 [-0.0286, '
                                                            '+0.2571]; spearman_BA~delta +0.1048 [-0.0286, '
                                                            '+0.2000]; spearman_A~dW -0.0857 [-0.2000, '
                                                            '-0.0286]; spearman_A~rel_update -0.0095 '
                                                            '[-0.0286, +0.0286]; spearman_A~delta +0.1048 '
                                                            '[-0.0286, +0.2571]; spearman_B~dW -0.0476 '
                                                            '[-0.0857, -0.0286]; spearman_B~rel_update '
                                                            '+0.0476 [-0.0286, +0.1429]; spearman_B~delta '
                                                            '+0.1619 [-0.0286, +0.2571]; BA~dW_per_seed '
                                                            '[-0.086 -0.029 -0.029]; top_half_lora 2-4-6; '
                                                            'top_half_full 4-5-6; top_half_overlap 0.6667; '
                                                            'seeds 3)',
                                                 'numbers': 'spearman_BA~dW +0.3333 [-0.1429, +0.7714]; '
                                                            'spearman_BA~rel_update -0.1619 [-0.6571, '
                                                            '+0.1429]; spearman_BA~delta +0.5810 [+0.2571, '
                                                            '+0.9429]; spearman_A~dW +0.4095 [-0.3714, '
                                                            '+0.8286]; spearman_A~rel_update +0.0286 '
                                                            '[-0.7714, +0.6000]; spearman_A~delta +0.4667 '
                                                            '[-0.1429, +0.7714]; spearman_B~dW +0.2762 '
                                                            '[-0.1429, +0.7143]; spearman_B~rel_update '
                                                            '-0.1810 [-0.6571, +0.0857]; spearman_B~delta '
                                                            '+0.5238 [+0.2571, +0.8286]; BA~dW_per_seed '
                                                            '[-0.143 +0.371 +0.771]; top_half_lora 2-5-6; '
                                                            'top_half_full 3-5-6; top_half_overlap 0.6667; '
                                                            'seeds 3',
                                                 'strict': 'not reproduced (BA~dW ?, A~dW ?, B~dW ?)',
                                                 'verdict': 'inconclusive'},
 'test_lora_predicts_full[tiny-tiny-neox-64]': {'expected': 'reproduced',
                                                'numbers': 'spearman_BA~dW +0.3143 [+0.0857, +0.7714]; '
                                                           'spearman_BA~rel_update +0.2952 [+0.1429, '
                                                           '+0.6000]; spearman_BA~delta +0.1238 [-0.3714, '
                                                           '+0.4286]; spearman_A~dW +0.2571 [-0.0857, '
                                                           '+0.4857]; spearman_A~rel_update +0.1619 '
                                                           '[+0.0286, +0.2571]; spearman_A~delta +0.1238 '
                                                           '[-0.4857, +0.7714]; spearman_B~dW +0.4095 '
                                                           '[+0.2571, +0.6000]; spearman_B~rel_update '
                                                           '+0.3714 [+0.3143, +0.4286]; spearman_B~delta '
                                                           '+0.1619 [-0.5429, +0.6571]; BA~dW_per_seed '
                                                           '[+0.086 +0.086 +0.771]; top_half_lora 1-4-5; '
                                                           'top_half_full 3-4-5; top_half_overlap 0.6667; '
                                                           'seeds 3',
                                                'strict': 'not reproduced (A~dW ?, BA~delta ?)',
                                                'verdict': 'reproduced'},
 'test_output_proximal[real-minilm-cls]': {'expected': 'reproduced',
                                           'numbers': 'slope +0.0165 [+0.0151, +0.0180]; excess_slope '
                                                      '+0.0164 [+0.0150, +0.0180]; rel_slope +2.7365 '
                                                      '[+2.6737, +2.7949]; null_rel_slope +1.6393 [+1.5812, '
                                                      '+1.7035]; shape_excess +1.0972 [+1.0249, +1.1941]; '
                                                      'heldout_before 1.606; heldout_after 1.587; seeds 3',
                                           'strict': 'steeper than null',
                                           'verdict': 'reproduced'},
 'test_output_proximal[real-minilm-mlm]': {'expected': 'reproduced',
                                           'numbers': 'slope +0.1549 [+0.1377, +0.1678]; excess_slope '
                                                      '+0.1548 [+0.1377, +0.1678]; rel_slope +3.2320 '
                                                      '[+3.1851, +3.2915]; null_rel_slope +1.7432 [+1.7115, '
                                                      '+1.7793]; shape_excess +1.4888 [+1.4245, +1.5717]; '
                                                      'heldout_before 10.67; heldout_after 8.218; seeds 3',
                                           'strict': 'steeper than null',
                                           'verdict': 'reproduced'},
 'test_output_proximal[real-smollm2-135m-clm]': {'expected': 'reproduced',
                                                 'numbers': 'slope +0.0367 [+0.0329, +0.0399]; excess_slope '
                                                            '+0.0364 [+0.0326, +0.0396]; rel_slope +1.7915 '
                                                            '[+1.6963, +1.8752]; null_rel_slope +1.3533 '
                                                            '[+1.0110, +1.7983]; shape_excess +0.4382 '
                                                            '[+0.0360, +0.7738]; heldout_before 3.896; '
                                                            'heldout_after 3.669; seeds 3',
                                                 'strict': 'steeper than null',
                                                 'verdict': 'reproduced'},
 'test_output_proximal[tiny-minilm-cls]': {'expected': 'reproduced',
                                           'numbers': 'slope +0.1029 [+0.0900, +0.1187]; excess_slope '
                                                      '+0.1028 [+0.0900, +0.1186]; rel_slope +2.4878 '
                                                      '[+2.4397, +2.5387]; null_rel_slope +1.8089 [+1.7658, '
                                                      '+1.8440]; shape_excess +0.6790 [+0.6071, +0.7317]; '
                                                      'seeds 3',
                                           'strict': 'steeper than null',
                                           'verdict': 'reproduced'},
 'test_output_proximal[tiny-minilm-mlm]': {'expected': 'reproduced',
                                           'numbers': 'slope +0.3380 [+0.3173, +0.3701]; excess_slope '
                                                      '+0.3378 [+0.3172, +0.3700]; rel_slope +3.1519 '
                                                      '[+3.1012, +3.2188]; null_rel_slope +1.8850 [+1.8412, '
                                                      '+1.9422]; shape_excess +1.2669 [+1.1790, +1.3763]; '
                                                      'seeds 3',
                                           'strict': 'steeper than null',
                                           'verdict': 'reproduced'},
 'test_output_proximal[tiny-tiny-bert-64-cls]': {'expected': 'reproduced',
                                                 'numbers': 'slope +0.0099 [+0.0066, +0.0118]; excess_slope '
                                                            '+0.0098 [+0.0066, +0.0118]; rel_slope +1.6837 '
                                                            '[+1.6308, +1.7226]; null_rel_slope +0.7945 '
                                                            '[+0.7833, +0.8065]; shape_excess +0.8892 '
                                                            '[+0.8292, +0.9287]; seeds 3',
                                                 'strict': 'steeper than null',
                                                 'verdict': 'reproduced'},
 'test_output_proximal[tiny-tiny-bert-64-mlm]': {'expected': 'reproduced',
                                                 'numbers': 'slope +0.0240 [+0.0219, +0.0256]; excess_slope '
                                                            '+0.0237 [+0.0216, +0.0252]; rel_slope +0.9646 '
                                                            '[+0.7619, +1.1763]; null_rel_slope +0.6271 '
                                                            '[+0.5936, +0.6537]; shape_excess +0.3375 '
                                                            '[+0.1691, +0.5235]; seeds 3',
                                                 'strict': 'steeper than null',
                                                 'verdict': 'reproduced'},
 'test_output_proximal[tiny-tiny-codegen-64-clm]': {'expected': 'reproduced',
                                                    'numbers': 'slope +0.0158 [+0.0147, +0.0166]; '
                                                               'excess_slope +0.0158 [+0.0146, +0.0166]; '
                                                               'rel_slope +0.9267 [+0.8545, +0.9806]; '
                                                               'null_rel_slope +0.2774 [+0.2317, +0.3158]; '
                                                               'shape_excess +0.6493 [+0.5703, +0.7153]; '
                                                               'seeds 3',
                                                    'strict': 'steeper than null',
                                                    'verdict': 'reproduced'},
 'test_output_proximal[tiny-tiny-codegen-64-cls]': {'expected': 'reproduced',
                                                    'numbers': 'slope +0.0353 [+0.0327, +0.0381]; '
                                                               'excess_slope +0.0352 [+0.0327, +0.0380]; '
                                                               'rel_slope +1.0181 [+0.8621, +1.3237]; '
                                                               'null_rel_slope +0.2815 [+0.2435, +0.3347]; '
                                                               'shape_excess +0.7366 [+0.5866, +0.9891]; '
                                                               'seeds 3',
                                                    'strict': 'steeper than null',
                                                    'verdict': 'reproduced'},
 'test_output_proximal[tiny-tiny-gpt2-64-clm]': {'expected': 'reproduced',
                                                 'numbers': 'slope +0.0234 [+0.0208, +0.0263]; excess_slope '
                                                            '+0.0232 [+0.0205, +0.0262]; rel_slope +1.0535 '
                                                            '[+0.9672, +1.1248]; null_rel_slope +0.4153 '
                                                            '[+0.3706, +0.4764]; shape_excess +0.6383 '
                                                            '[+0.5894, +0.6749]; seeds 3',
                                                 'strict': 'steeper than null',
                                                 'verdict': 'reproduced'},
 'test_output_proximal[tiny-tiny-gpt2-64-cls]': {'expected': 'reproduced',
                                                 'numbers': 'slope +0.1392 [+0.0629, +0.1830]; excess_slope '
                                                            '+0.1388 [+0.0623, +0.1827]; rel_slope +0.6979 '
                                                            '[+0.4033, +0.8371]; null_rel_slope +0.3274 '
                                                            '[+0.3008, +0.3684]; shape_excess +0.3705 '
                                                            '[+0.0917, +0.4809]; seeds 3',
                                                 'strict': 'steeper than null',
                                                 'verdict': 'reproduced'},
 'test_output_proximal[tiny-tiny-gptj-64-clm]': {'expected': 'reproduced',
                                                 'numbers': 'slope +0.0163 [+0.0159, +0.0167]; excess_slope '
                                                            '+0.0162 [+0.0158, +0.0167]; rel_slope +0.9487 '
                                                            '[+0.9016, +0.9837]; null_rel_slope +0.3095 '
                                                            '[+0.2536, +0.4163]; shape_excess +0.6392 '
                                                            '[+0.5566, +0.7193]; seeds 3',
                                                 'strict': 'steeper than null',
                                                 'verdict': 'reproduced'},
 'test_output_proximal[tiny-tiny-gptj-64-cls]': {'expected': 'reproduced',
                                                 'numbers': 'slope +0.0401 [+0.0320, +0.0498]; excess_slope '
                                                            '+0.0400 [+0.0320, +0.0497]; rel_slope +0.9965 '
                                                            '[+0.9541, +1.0263]; null_rel_slope +0.2754 '
                                                            '[+0.1916, +0.3706]; shape_excess +0.7212 '
                                                            '[+0.6497, +0.7639]; seeds 3',
                                                 'strict': 'steeper than null',
                                                 'verdict': 'reproduced'},
 'test_output_proximal[tiny-tiny-llama-64-clm]': {'expected': 'reproduced',
                                                  'numbers': 'slope +0.0212 [+0.0202, +0.0226]; excess_slope '
                                                             '+0.0212 [+0.0202, +0.0226]; rel_slope +0.8755 '
                                                             '[+0.8384, +0.9130]; null_rel_slope +0.0149 '
                                                             '[-0.0757, +0.1589]; shape_excess +0.8606 '
                                                             '[+0.6854, +0.9747]; seeds 3',
                                                  'strict': 'steeper than null',
                                                  'verdict': 'reproduced'},
 'test_output_proximal[tiny-tiny-llama-64-cls]': {'expected': 'reproduced',
                                                  'numbers': 'slope +0.1283 [+0.0635, +0.1671]; excess_slope '
                                                             '+0.1284 [+0.0635, +0.1671]; rel_slope +0.8582 '
                                                             '[+0.8218, +0.8860]; null_rel_slope -0.0322 '
                                                             '[-0.1048, +0.0278]; shape_excess +0.8904 '
                                                             '[+0.8131, +0.9771]; seeds 3',
                                                  'strict': 'steeper than null',
                                                  'verdict': 'reproduced'},
 'test_output_proximal[tiny-tiny-mamba2-64-clm]': {'expected': 'reproduced',
                                                   'numbers': 'slope +0.0102 [+0.0090, +0.0121]; '
                                                              'excess_slope +0.0107 [+0.0094, +0.0126]; '
                                                              'rel_slope +0.5754 [+0.5179, +0.6457]; '
                                                              'null_rel_slope -0.2178 [-0.2840, -0.1261]; '
                                                              'shape_excess +0.7932 [+0.6599, +0.8987]; '
                                                              'seeds 3',
                                                   'strict': 'steeper than null',
                                                   'verdict': 'reproduced'},
 'test_output_proximal[tiny-tiny-mamba2-64-cls]': {'expected': 'reproduced',
                                                   'numbers': 'slope +0.0101 [+0.0077, +0.0142]; '
                                                              'excess_slope +0.0104 [+0.0080, +0.0145]; '
                                                              'rel_slope +0.6197 [+0.4853, +0.7953]; '
                                                              'null_rel_slope -0.1534 [-0.2507, -0.0619]; '
                                                              'shape_excess +0.7731 [+0.6211, +0.9469]; '
                                                              'seeds 3',
                                                   'strict': 'steeper than null',
                                                   'verdict': 'reproduced'},
 'test_output_proximal[tiny-tiny-neox-64-clm]': {'expected': 'reproduced',
                                                 'numbers': 'slope +0.0149 [+0.0131, +0.0165]; excess_slope '
                                                            '+0.0148 [+0.0131, +0.0164]; rel_slope +0.8189 '
                                                            '[+0.7735, +0.8472]; null_rel_slope +0.2829 '
                                                            '[+0.2302, +0.3325]; shape_excess +0.5360 '
                                                            '[+0.5041, +0.5667]; seeds 3',
                                                 'strict': 'steeper than null',
                                                 'verdict': 'reproduced'},
 'test_output_proximal[tiny-tiny-neox-64-cls]': {'expected': 'reproduced',
                                                 'numbers': 'slope +0.0284 [+0.0188, +0.0456]; excess_slope '
                                                            '+0.0283 [+0.0187, +0.0455]; rel_slope +0.9527 '
                                                            '[+0.8400, +1.0740]; null_rel_slope +0.2934 '
                                                            '[+0.2011, +0.3734]; shape_excess +0.6594 '
                                                            '[+0.4709, +0.7559]; seeds 3',
                                                 'strict': 'steeper than null',
                                                 'verdict': 'reproduced'},
 'test_output_proximal[tiny-tiny-opt-64-clm]': {'expected': 'reproduced',
                                                'numbers': 'slope +0.0171 [+0.0134, +0.0203]; excess_slope '
                                                           '+0.0170 [+0.0133, +0.0202]; rel_slope +0.7633 '
                                                           '[+0.6776, +0.8131]; null_rel_slope +0.2522 '
                                                           '[+0.1959, +0.3054]; shape_excess +0.5111 '
                                                           '[+0.3762, +0.6139]; seeds 3',
                                                'strict': 'steeper than null',
                                                'verdict': 'reproduced'},
 'test_output_proximal[tiny-tiny-opt-64-cls]': {'expected': 'reproduced',
                                                'numbers': 'slope +0.1419 [+0.0961, +0.2130]; excess_slope '
                                                           '+0.1417 [+0.0959, +0.2128]; rel_slope +0.7339 '
                                                           '[+0.5887, +0.8243]; null_rel_slope +0.1869 '
                                                           '[+0.1260, +0.2460]; shape_excess +0.5470 '
                                                           '[+0.4052, +0.6869]; seeds 3',
                                                'strict': 'steeper than null',
                                                'verdict': 'reproduced'},
 'test_output_proximal[tiny-tiny-rwkv-64-clm]': {'expected': 'reproduced',
                                                 'numbers': 'slope +0.0145 [+0.0129, +0.0160]; excess_slope '
                                                            '+0.0144 [+0.0129, +0.0159]; rel_slope +0.7506 '
                                                            '[+0.6877, +0.7963]; null_rel_slope +0.2521 '
                                                            '[+0.2102, +0.3053]; shape_excess +0.4986 '
                                                            '[+0.4560, +0.5543]; seeds 3',
                                                 'strict': 'steeper than null',
                                                 'verdict': 'reproduced'},
 'test_output_proximal[tiny-tiny-rwkv-64-cls]': {'expected': 'reproduced',
                                                 'numbers': 'slope +0.0300 [+0.0240, +0.0398]; excess_slope '
                                                            '+0.0299 [+0.0239, +0.0397]; rel_slope +0.9385 '
                                                            '[+0.8242, +1.0081]; null_rel_slope +0.2711 '
                                                            '[+0.1901, +0.3696]; shape_excess +0.6673 '
                                                            '[+0.5638, +0.8176]; seeds 3',
                                                 'strict': 'steeper than null',
                                                 'verdict': 'reproduced'},
 'test_scale_narrowing[tiny-sgd]': {'expected': 'reproduced',
                                    'numbers': 'gap_small 0.2709; gap_large 0.02136; abs_gap_change -0.2495 '
                                               '[-0.2962, -0.1759]; slope_tiny-gpt2-128 +0.0067 [+0.0060, '
                                               '+0.0073]; slope_tiny-neox-128 +0.0023 [+0.0021, +0.0024]; '
                                               'control_strength 0.4975; seeds 3',
                                    'strict': 'gap narrows',
                                    'verdict': 'reproduced'},
 'test_semantic_freezing[real-smollm2-135m]': {'expected': 'reproduced',
                                               'numbers': 'selected '
                                                          '3-10-12-19-20-21-22-23-24-25-26-27-28-29-30; '
                                                          'margin_frac 0.1; excess_frac_of_all_blocks_gain '
                                                          '+0.0415 [-0.0474, +0.1046]; selected_minus_random '
                                                          '+0.0143 [+0.0105, +0.0201]; heldout_before 3.982; '
                                                          'heldout_all_blocks 3.654; heldout_selected 3.669; '
                                                          'selected_trainable_frac 0.5; '
                                                          'selected_backward_frac 0.6512; '
                                                          'random_trainable_frac 0.5; random_backward_frac '
                                                          '0.6477; lr all_blocks 0.0003, selected 0.0003, '
                                                          'random 0.0003; seeds 3',
                                               'strict': '',
                                               'verdict': 'not within margin, not better than random'},
 'test_semantic_freezing[tiny-tiny-gpt2-64]': {'expected': 'reproduced',
                                               'numbers': 'selected 1-2-4; margin_frac 0.1; '
                                                          'excess_frac_of_all_blocks_gain +0.2586 [+0.1573, '
                                                          '+0.3276]; selected_minus_random +0.0085 [+0.0079, '
                                                          '+0.0091]; heldout_before 5.944; '
                                                          'heldout_all_blocks 5.902; heldout_selected 5.914; '
                                                          'selected_trainable_frac 0.5; '
                                                          'selected_backward_frac 0.9577; '
                                                          'random_trainable_frac 0.5; random_backward_frac '
                                                          '0.8035; lr all_blocks 0.001, selected 0.003, '
                                                          'random 0.003; seeds 3',
                                               'strict': '',
                                               'verdict': 'not within margin, not better than random'},
 'test_semantic_freezing[tiny-tiny-llama-64]': {'expected': 'reproduced',
                                                'fragile': 'other numerics: not better than random / - '
                                                           '(selected 1-2-6; margin_frac 0.1; '
                                                           'excess_frac_of_all_blocks_gain +0.0190 [-0.0488, '
                                                           '+0.0907]; selected_minus_random -0.0021 '
                                                           '[-0.0081, +0.0019]; heldout_before 5.755; '
                                                           'heldout_all_blocks 5.703; heldout_selected '
                                                           '5.704; selected_trainable_frac 0.5; '
                                                           'selected_backward_frac 0.7818; '
                                                           'random_trainable_frac 0.5; random_backward_frac '
                                                           '0.6474; lr all_blocks 0.001, selected 0.003, '
                                                           'random 0.003; seeds 3)',
                                                'numbers': 'selected 1-4-6; margin_frac 0.1; '
                                                           'excess_frac_of_all_blocks_gain +0.0458 [-0.0220, '
                                                           '+0.1759]; selected_minus_random -0.0007 '
                                                           '[-0.0072, +0.0046]; heldout_before 5.775; '
                                                           'heldout_all_blocks 5.725; heldout_selected '
                                                           '5.727; selected_trainable_frac 0.5; '
                                                           'selected_backward_frac 1.099; '
                                                           'random_trainable_frac 0.5; random_backward_frac '
                                                           '0.8236; lr all_blocks 0.001, selected 0.003, '
                                                           'random 0.003; seeds 3',
                                                'strict': '',
                                                'verdict': 'not within margin, not better than random'},
 'test_steepness_tracks_distance[tiny-tiny-bert-64]': {'expected': 'reproduced',
                                                       'numbers': 'spearman +1.0000 [+1.0000, +1.0000]; '
                                                                  'objectives mlm@0.15 D=6.55 slope=+0.024, '
                                                                  'mlm@0.4 D=6.49 slope=+0.0157, '
                                                                  'mlm/business@0.15 D=6.64 slope=+0.0281, '
                                                                  'mlm/python@0.15 D=7.41 slope=+0.421; '
                                                                  'seeds 3',
                                                       'strict': '',
                                                       'verdict': 'reproduced'},
 'test_steepness_tracks_distance[tiny-tiny-gpt2-64]': {'expected': 'reproduced',
                                                       'numbers': 'spearman +1.0000 [+1.0000, +1.0000]; '
                                                                  'objectives clm D=5.91 slope=+0.0234, '
                                                                  'clm/business D=5.63 slope=+0.0161, '
                                                                  'clm/tech D=5.95 slope=+0.0293, clm/python '
                                                                  'D=8.33 slope=+0.322; seeds 3',
                                                       'strict': '',
                                                       'verdict': 'reproduced'},
 'test_steepness_tracks_distance[tiny-tiny-llama-64]': {'expected': 'reproduced',
                                                        'numbers': 'spearman +1.0000 [+1.0000, +1.0000]; '
                                                                   'objectives clm D=5.79 slope=+0.0212, '
                                                                   'clm/business D=5.5 slope=+0.0132, '
                                                                   'clm/tech D=5.83 slope=+0.0257, '
                                                                   'clm/python D=8.55 slope=+0.313; seeds 3',
                                                        'strict': '',
                                                        'verdict': 'reproduced'},
 'test_steepness_tracks_distance[tiny-tiny-neox-64]': {'expected': 'reproduced',
                                                       'numbers': 'spearman +1.0000 [+1.0000, +1.0000]; '
                                                                  'objectives clm D=5.77 slope=+0.0149, '
                                                                  'clm/business D=5.39 slope=+0.011, '
                                                                  'clm/tech D=5.8 slope=+0.0217, clm/python '
                                                                  'D=8.21 slope=+0.229; seeds 3',
                                                       'strict': '',
                                                       'verdict': 'reproduced'},
 'test_train_shallow_freeze_deep[real-smollm2-135m]': {'expected': 'train first half best',
                                                       'numbers': 'first_minus_all_blocks +0.0164 [+0.0130, '
                                                                  '+0.0214]; first_minus_second -0.0751 '
                                                                  '[-0.0906, -0.0486]; heldout_all_blocks '
                                                                  '3.654; heldout_first_half 3.671; '
                                                                  'heldout_second_half 3.746; heldout_before '
                                                                  '3.982; forgetting_all_blocks -0.1483; '
                                                                  'forgetting_first_half -0.1464; '
                                                                  'forgetting_second_half -0.172; lr '
                                                                  'all_blocks 0.0003, first_half 0.0003, '
                                                                  'second_half 0.0003; seeds 3',
                                                       'strict': '',
                                                       'verdict': 'ranking all_blocks < first_half < '
                                                                  'second_half'},
 'test_train_shallow_freeze_deep[tiny-tiny-gpt2-64]': {'expected': 'train first half best',
                                                       'fragile': 'other numerics: ranking second_half < '
                                                                  'all_blocks < first_half / - '
                                                                  '(first_minus_all_blocks +0.0156 [+0.0145, '
                                                                  '+0.0164]; first_minus_second +0.0171 '
                                                                  '[+0.0130, +0.0244]; heldout_all_blocks '
                                                                  '5.914; heldout_first_half 5.929; '
                                                                  'heldout_second_half 5.912; heldout_before '
                                                                  '5.954; forgetting_all_blocks 0.04236; '
                                                                  'forgetting_first_half 0.04101; '
                                                                  'forgetting_second_half 0.04607; lr '
                                                                  'all_blocks 0.001, first_half 0.001, '
                                                                  'second_half 0.003; seeds 3)',
                                                       'numbers': 'first_minus_all_blocks +0.0094 [+0.0057, '
                                                                  '+0.0116]; first_minus_second +0.0026 '
                                                                  '[-0.0009, +0.0059]; heldout_all_blocks '
                                                                  '5.902; heldout_first_half 5.912; '
                                                                  'heldout_second_half 5.909; heldout_before '
                                                                  '5.944; forgetting_all_blocks 0.04931; '
                                                                  'forgetting_first_half 0.03852; '
                                                                  'forgetting_second_half 0.05535; lr '
                                                                  'all_blocks 0.001, first_half 0.001, '
                                                                  'second_half 0.003; seeds 3',
                                                       'strict': '',
                                                       'verdict': 'ranking all_blocks < second_half < '
                                                                  'first_half'},
 'test_train_shallow_freeze_deep[tiny-tiny-llama-64]': {'expected': 'train first half best',
                                                        'fragile': 'other numerics: ranking all_blocks < '
                                                                   'first_half < second_half / - '
                                                                   '(first_minus_all_blocks +0.0045 '
                                                                   '[+0.0017, +0.0088]; first_minus_second '
                                                                   '-0.0008 [-0.0070, +0.0058]; '
                                                                   'heldout_all_blocks 5.703; '
                                                                   'heldout_first_half 5.708; '
                                                                   'heldout_second_half 5.709; '
                                                                   'heldout_before 5.755; '
                                                                   'forgetting_all_blocks 0.05458; '
                                                                   'forgetting_first_half 0.07813; '
                                                                   'forgetting_second_half 0.06559; lr '
                                                                   'all_blocks 0.001, first_half 0.003, '
                                                                   'second_half 0.003; seeds 3)',
                                                        'numbers': 'first_minus_all_blocks +0.0133 [+0.0088, '
                                                                   '+0.0187]; first_minus_second +0.0108 '
                                                                   '[+0.0028, +0.0188]; heldout_all_blocks '
                                                                   '5.725; heldout_first_half 5.738; '
                                                                   'heldout_second_half 5.727; '
                                                                   'heldout_before 5.775; '
                                                                   'forgetting_all_blocks 0.04803; '
                                                                   'forgetting_first_half 0.07789; '
                                                                   'forgetting_second_half 0.06158; lr '
                                                                   'all_blocks 0.001, first_half 0.003, '
                                                                   'second_half 0.003; seeds 3',
                                                        'strict': '',
                                                        'verdict': 'ranking all_blocks < second_half < '
                                                                   'first_half'},
 'test_width_by_architecture[tiny]': {'expected': 'reproduced',
                                      'numbers': 'family_share 0.1855; objective_share 0.09975; '
                                                 'family_chance 0.1369; objective_chance 0.01519; family_p '
                                                 '0.00999; objective_p 0.007992; tau 0.02; runs 60; families '
                                                 '9',
                                      'strict': '',
                                      'verdict': 'reproduced'}}
