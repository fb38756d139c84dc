"""Claims that did not reproduce, as measured: test id -> the measured verdict and numbers.

Each entry becomes a strict xfail (raises=ClaimNotReproduced), so a change of verdict in
either direction turns the suite red. Written by `python bench/record_known.py` from the
verdicts of a `pytest bench --update-baselines` session; reviewed like code.
"""

KNOWN = {'test_cross_claims[tiny-tiny-gpt2-64-adamw]': 'measured: A~B +, A~C +, B~C + (paper: A~B -, A~C +, B~C -); '
                                               'spearman_A~B +0.3714 [+0.2571, +0.6000]; spearman_A~C '
                                               '+0.9429 [+0.8857, +1.0000]; spearman_B~C +0.4286 [+0.3714, '
                                               '+0.4286]; overlap_AB 0.6667; overlap_AC 1; overlap_BC '
                                               '0.6667; set_A 1-2-4; set_B 1-2-3; set_C 1-2-4; seeds 3',
 'test_cross_claims[tiny-tiny-gpt2-64-sgd]': 'measured: A~B +, A~C +, B~C + (paper: A~B -, A~C +, B~C -); '
                                             'spearman_A~B +0.6571 [+0.2571, +0.6571]; spearman_A~C +0.9429 '
                                             '[+0.8857, +1.0000]; spearman_B~C +0.4286 [+0.3714, +0.4286]; '
                                             'overlap_AB 0.6667; overlap_AC 1; overlap_BC 0.6667; set_A '
                                             '1-2-4; set_B 1-2-3; set_C 1-2-4; seeds 3',
 'test_cross_claims[tiny-tiny-llama-64-adamw]': 'measured: A~B +, A~C +, B~C + (paper: A~B -, A~C +, B~C -); '
                                                'spearman_A~B +0.7143 [+0.6000, +0.7143]; spearman_A~C '
                                                '+0.7143 [+0.6000, +0.7143]; spearman_B~C +1.0000 [+1.0000, '
                                                '+1.0000]; overlap_AB 0.6667; overlap_AC 0.6667; overlap_BC '
                                                '0.3333; set_A 1-2-6; set_B 1-2-3; set_C 1-4-6; seeds 3',
 'test_cross_claims[tiny-tiny-llama-64-sgd]': 'measured: A~B +, A~C +, B~C + (paper: A~B -, A~C +, B~C -); '
                                              'spearman_A~B +0.8857 [+0.7143, +0.8857]; spearman_A~C +0.8857 '
                                              '[+0.7143, +0.8857]; spearman_B~C +1.0000 [+1.0000, +1.0000]; '
                                              'overlap_AB 0.6667; overlap_AC 0.6667; overlap_BC 0.3333; '
                                              'set_A 1-2-6; set_B 1-2-3; set_C 1-4-6; seeds 3',
 'test_equal_step[tiny-tiny-bert-64-cls-adamw]': 'measured: control inert (paper: retained); '
                                                 'control_strength 0.0225; r_spread 0.07741; '
                                                 'controlled_slope +0.0098 [+0.0066, +0.0118]; '
                                                 'controlled_excess +0.0098 [+0.0065, +0.0118]; '
                                                 'control_minus_standard -0.0000 [-0.0000, -0.0000]; '
                                                 'final_loss_std 1.611; final_loss_ctrl 1.611; seeds 3',
 'test_equal_step[tiny-tiny-bert-64-cls-sgd]': 'measured: collapsed (paper: retained); control_strength '
                                               '0.1374; r_spread 0.5483; controlled_slope +0.0001 [+0.0000, '
                                               '+0.0001]; controlled_excess +0.0001 [+0.0000, +0.0001]; '
                                               'control_minus_standard +0.0000 [+0.0000, +0.0000]; '
                                               'final_loss_std 1.617; final_loss_ctrl 1.617; seeds 3',
 'test_equal_step[tiny-tiny-bert-64-mlm-adamw]': 'measured: control inert (paper: retained); '
                                                 'control_strength 0.01802; r_spread 0.06596; '
                                                 'controlled_slope +0.0242 [+0.0221, +0.0257]; '
                                                 'controlled_excess +0.0238 [+0.0217, +0.0254]; '
                                                 'control_minus_standard +0.0001 [+0.0001, +0.0002]; '
                                                 'final_loss_std 6.433; final_loss_ctrl 6.433; seeds 3',
 'test_equal_step[tiny-tiny-bert-64-mlm-sgd]': 'measured: collapsed (paper: retained); control_strength '
                                               '0.2219; r_spread 0.8469; controlled_slope +0.0008 [+0.0002, '
                                               '+0.0017]; controlled_excess +0.0008 [+0.0002, +0.0017]; '
                                               'control_minus_standard +0.0003 [+0.0002, +0.0004]; '
                                               'final_loss_std 6.432; final_loss_ctrl 6.432; seeds 3',
 'test_equal_step[tiny-tiny-codegen-64-clm-adamw]': 'measured: control inert (paper: retained); '
                                                    'control_strength 0.07928; r_spread 0.3113; '
                                                    'controlled_slope +0.0150 [+0.0138, +0.0159]; '
                                                    'controlled_excess +0.0150 [+0.0137, +0.0158]; '
                                                    'control_minus_standard -0.0008 [-0.0009, -0.0007]; '
                                                    'final_loss_std 5.684; final_loss_ctrl 5.683; seeds 3',
 'test_equal_step[tiny-tiny-codegen-64-cls-adamw]': 'measured: control inert (paper: collapsed); '
                                                    'control_strength 0.07052; r_spread 0.2765; '
                                                    'controlled_slope +0.0382 [+0.0352, +0.0412]; '
                                                    'controlled_excess +0.0382 [+0.0351, +0.0411]; '
                                                    'control_minus_standard +0.0030 [+0.0023, +0.0038]; '
                                                    'final_loss_std 1.593; final_loss_ctrl 1.596; seeds 3',
 'test_equal_step[tiny-tiny-gpt2-64-clm-adamw]': 'measured: control inert (paper: retained); '
                                                 'control_strength 0.04234; r_spread 0.1626; '
                                                 'controlled_slope +0.0229 [+0.0204, +0.0254]; '
                                                 'controlled_excess +0.0226 [+0.0201, +0.0253]; '
                                                 'control_minus_standard -0.0006 [-0.0009, -0.0003]; '
                                                 'final_loss_std 5.876; final_loss_ctrl 5.876; seeds 3',
 'test_equal_step[tiny-tiny-gpt2-64-clm-sgd]': 'measured: collapsed (paper: retained); control_strength '
                                               '0.6871; r_spread 2.954; controlled_slope +0.0133 [+0.0118, '
                                               '+0.0153]; controlled_excess +0.0132 [+0.0118, +0.0152]; '
                                               'control_minus_standard +0.0050 [+0.0041, +0.0058]; '
                                               'final_loss_std 5.874; final_loss_ctrl 5.849; seeds 3',
 'test_equal_step[tiny-tiny-gpt2-64-cls-adamw]': 'measured: control inert (paper: retained); '
                                                 'control_strength 0.05635; r_spread 0.2066; '
                                                 'controlled_slope +0.1432 [+0.0651, +0.1877]; '
                                                 'controlled_excess +0.1428 [+0.0645, +0.1874]; '
                                                 'control_minus_standard +0.0039 [-0.0018, +0.0113]; '
                                                 'final_loss_std 1.593; final_loss_ctrl 1.594; seeds 3',
 'test_equal_step[tiny-tiny-gptj-64-clm-adamw]': 'measured: control inert (paper: retained); '
                                                 'control_strength 0.08328; r_spread 0.3066; '
                                                 'controlled_slope +0.0156 [+0.0151, +0.0160]; '
                                                 'controlled_excess +0.0155 [+0.0151, +0.0160]; '
                                                 'control_minus_standard -0.0007 [-0.0009, -0.0005]; '
                                                 'final_loss_std 5.719; final_loss_ctrl 5.719; seeds 3',
 'test_equal_step[tiny-tiny-gptj-64-cls-adamw]': 'measured: control inert (paper: collapsed); '
                                                 'control_strength 0.07833; r_spread 0.3007; '
                                                 'controlled_slope +0.0440 [+0.0389, +0.0519]; '
                                                 'controlled_excess +0.0440 [+0.0389, +0.0518]; '
                                                 'control_minus_standard +0.0039 [+0.0021, +0.0072]; '
                                                 'final_loss_std 1.589; final_loss_ctrl 1.592; seeds 3',
 'test_equal_step[tiny-tiny-gptj-64-cls-sgd]': 'measured: retained (paper: collapsed); control_strength '
                                               '0.3223; r_spread 1.149; controlled_slope +0.0016 [+0.0008, '
                                               '+0.0028]; controlled_excess +0.0016 [+0.0008, +0.0028]; '
                                               'control_minus_standard -0.0002 [-0.0002, -0.0001]; '
                                               'final_loss_std 1.644; final_loss_ctrl 1.642; seeds 3',
 'test_equal_step[tiny-tiny-llama-64-clm-adamw]': 'measured: control inert (paper: retained); '
                                                  'control_strength 0.04109; r_spread 0.1377; '
                                                  'controlled_slope +0.0208 [+0.0197, +0.0223]; '
                                                  'controlled_excess +0.0208 [+0.0197, +0.0224]; '
                                                  'control_minus_standard -0.0004 [-0.0005, -0.0002]; '
                                                  'final_loss_std 5.746; final_loss_ctrl 5.746; seeds 3',
 'test_equal_step[tiny-tiny-llama-64-cls-adamw]': 'measured: control inert (paper: retained); '
                                                  'control_strength 0.061; r_spread 0.2124; controlled_slope '
                                                  '+0.1280 [+0.0629, +0.1667]; controlled_excess +0.1280 '
                                                  '[+0.0629, +0.1667]; control_minus_standard -0.0004 '
                                                  '[-0.0007, +0.0001]; final_loss_std 1.567; final_loss_ctrl '
                                                  '1.566; seeds 3',
 'test_equal_step[tiny-tiny-neox-64-clm-adamw]': 'measured: control inert (paper: retained); '
                                                 'control_strength 0.07358; r_spread 0.279; controlled_slope '
                                                 '+0.0142 [+0.0125, +0.0156]; controlled_excess +0.0142 '
                                                 '[+0.0125, +0.0155]; control_minus_standard -0.0006 '
                                                 '[-0.0009, -0.0003]; final_loss_std 5.69; final_loss_ctrl '
                                                 '5.689; seeds 3',
 'test_equal_step[tiny-tiny-neox-64-cls-adamw]': 'measured: control inert (paper: collapsed); '
                                                 'control_strength 0.0733; r_spread 0.2844; controlled_slope '
                                                 '+0.0315 [+0.0199, +0.0527]; controlled_excess +0.0315 '
                                                 '[+0.0198, +0.0526]; control_minus_standard +0.0032 '
                                                 '[-0.0004, +0.0072]; final_loss_std 1.595; final_loss_ctrl '
                                                 '1.597; seeds 3',
 'test_equal_step[tiny-tiny-opt-64-clm-adamw]': 'measured: control inert (paper: retained); control_strength '
                                                '0.03596; r_spread 0.134; controlled_slope +0.0166 [+0.0127, '
                                                '+0.0199]; controlled_excess +0.0165 [+0.0126, +0.0198]; '
                                                'control_minus_standard -0.0005 [-0.0007, -0.0004]; '
                                                'final_loss_std 5.846; final_loss_ctrl 5.846; seeds 3',
 'test_equal_step[tiny-tiny-opt-64-clm-sgd]': 'measured: collapsed (paper: retained); control_strength '
                                              '0.5991; r_spread 2.446; controlled_slope +0.0114 [+0.0077, '
                                              '+0.0163]; controlled_excess +0.0114 [+0.0077, +0.0163]; '
                                              'control_minus_standard +0.0060 [+0.0055, +0.0066]; '
                                              'final_loss_std 5.832; final_loss_ctrl 5.818; seeds 3',
 'test_equal_step[tiny-tiny-opt-64-cls-adamw]': 'measured: control inert (paper: retained); control_strength '
                                                '0.08716; r_spread 0.3494; controlled_slope +0.1392 '
                                                '[+0.0950, +0.2112]; controlled_excess +0.1390 [+0.0948, '
                                                '+0.2111]; control_minus_standard -0.0027 [-0.0052, '
                                                '-0.0011]; final_loss_std 1.589; final_loss_ctrl 1.588; '
                                                'seeds 3',
 'test_layer_diagnostics[tiny-tiny-gpt2-64]': 'measured: LS shallow, TP not deep (paper: reproduced); '
                                              'ls_first_minus_second_half +0.0002 [+0.0002, +0.0003]; '
                                              'ls_slope -0.0004 [-0.0006, -0.0003]; ls [0.000771 4.44e-05 '
                                              '3.25e-05 3.55e-05 2.45e-05 0.000169]; tp [0.086 0.092 0.116 '
                                              '0.121 0.120 0.124]; tp_onset_depth 0.4; eps 0.05; seeds 3',
 'test_semantic_freezing[tiny-tiny-gpt2-64]': 'measured: not within margin, not better than random (paper: '
                                              'reproduced); selected 1-2-4; excess_frac_of_full_gain +0.7996 '
                                              '[+0.7660, +0.8182]; margin_frac 0.1; selected_minus_random '
                                              '+0.0038 [+0.0012, +0.0067]; selected_minus_first_k_frozen '
                                              '+0.0025 [+0.0002, +0.0067]; heldout_full 5.802; '
                                              'heldout_selected 5.916; trainable_frac 0.2648; '
                                              'backward_time_ratio 0.3864; seeds 3',
 'test_semantic_freezing[tiny-tiny-llama-64]': 'measured: not within margin (paper: reproduced); selected '
                                               '1-4-6; excess_frac_of_full_gain +0.7150 [+0.6858, +0.7385]; '
                                               'margin_frac 0.1; selected_minus_random -0.0051 [-0.0118, '
                                               '-0.0003]; selected_minus_first_k_frozen -0.0075 [-0.0118, '
                                               '-0.0003]; heldout_full 5.627; heldout_selected 5.733; '
                                               'trainable_frac 0.2647; backward_time_ratio 0.5555; seeds 3',
 'test_steepness_tracks_distance[tiny-minilm]': 'measured: inconclusive (paper: reproduced); spearman '
                                                '+0.7714 [-0.0909, +1.0000]; points 6; objectives cls,mlm',
 'test_steepness_tracks_distance[tiny-tiny-bert-64]': 'measured: inconclusive (paper: reproduced); spearman '
                                                      '+0.7590 [+0.0000, +1.0000]; points 6; objectives '
                                                      'cls,mlm',
 'test_steepness_tracks_distance[tiny-tiny-codegen-64]': 'measured: reversed (paper: reproduced); spearman '
                                                         '-0.8804 [-1.0000, -0.1950]; points 6; objectives '
                                                         'clm,cls',
 'test_steepness_tracks_distance[tiny-tiny-gpt2-64]': 'measured: reversed (paper: reproduced); spearman '
                                                      '-0.9411 [-1.0000, -0.6742]; points 6; objectives '
                                                      'clm,cls',
 'test_steepness_tracks_distance[tiny-tiny-gptj-64]': 'measured: inconclusive (paper: reproduced); spearman '
                                                      '-0.7590 [-1.0000, +0.0000]; points 6; objectives '
                                                      'clm,cls',
 'test_steepness_tracks_distance[tiny-tiny-llama-64]': 'measured: reversed (paper: reproduced); spearman '
                                                       '-0.9411 [-1.0000, -0.6742]; points 6; objectives '
                                                       'clm,cls',
 'test_steepness_tracks_distance[tiny-tiny-mamba2-64]': 'measured: inconclusive (paper: reproduced); '
                                                        'spearman +0.5161 [-0.8944, +0.9487]; points 6; '
                                                        'objectives clm,cls',
 'test_steepness_tracks_distance[tiny-tiny-neox-64]': 'measured: reversed (paper: reproduced); spearman '
                                                      '-0.9411 [-1.0000, -0.6742]; points 6; objectives '
                                                      'clm,cls',
 'test_steepness_tracks_distance[tiny-tiny-opt-64]': 'measured: inconclusive (paper: reproduced); spearman '
                                                     '-0.7590 [-1.0000, +0.0000]; points 6; objectives '
                                                     'clm,cls',
 'test_steepness_tracks_distance[tiny-tiny-rwkv-64]': 'measured: inconclusive (paper: reproduced); spearman '
                                                      '-0.7590 [-1.0000, +0.0000]; points 6; objectives '
                                                      'clm,cls',
 'test_train_shallow_freeze_deep[tiny-tiny-gpt2-64]': 'measured: ranking full < first_half < second_half '
                                                      '(paper: train first half best); first_minus_full '
                                                      '+0.1095 [+0.1067, +0.1146]; first_minus_second '
                                                      '-0.0015 [-0.0039, +0.0007]; heldout_full 5.802; '
                                                      'heldout_first_half 5.912; heldout_second_half 5.913; '
                                                      'heldout_before 5.944; forgetting_full 0.1468; '
                                                      'forgetting_first_half 0.03852; forgetting_second_half '
                                                      '0.03653; seeds 3',
 'test_train_shallow_freeze_deep[tiny-tiny-llama-64]': 'measured: ranking full < first_half < second_half '
                                                       '(paper: train first half best); first_minus_full '
                                                       '+0.1106 [+0.1073, +0.1160]; first_minus_second '
                                                       '-0.0029 [-0.0082, +0.0017]; heldout_full 5.627; '
                                                       'heldout_first_half 5.738; heldout_second_half 5.741; '
                                                       'heldout_before 5.775; forgetting_full 0.1462; '
                                                       'forgetting_first_half 0.03205; '
                                                       'forgetting_second_half 0.02738; seeds 3'}
