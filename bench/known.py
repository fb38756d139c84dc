"""Claims that did not reproduce, as measured: test id -> the measured verdict and numbers.

Each entry becomes a strict xfail (raises=ClaimNotReproduced), so a change of verdict in
either direction turns the suite red. Written by `python bench/record_known.py` from the
verdicts of a `pytest bench --update-baselines` session; reviewed like code.
"""

KNOWN = {'test_cross_claims[tiny-tiny-gpt2-64-adamw]': 'measured: A~B ?, A~C +, B~C ? (paper: A~B -, A~C +, B~C -); '
                                               'spearman_A~B +0.1429 [-0.0857, +0.3714]; spearman_A~C '
                                               '+0.7143 [+0.3714, +0.9429]; spearman_B~C +0.4286 [-0.0286, '
                                               '+0.6571]; overlap_AB 0.6667; overlap_AC 0.6667; overlap_BC '
                                               '1; set_A 1-2-4; set_B 1-2-3; set_C 1-2-3; seeds 3',
 'test_cross_claims[tiny-tiny-gpt2-64-sgd]': 'measured: A~B ?, A~C +, B~C ? (paper: A~B -, A~C +, B~C -); '
                                             'spearman_A~B +0.1429 [-0.0857, +0.3714]; spearman_A~C +0.7143 '
                                             '[+0.5429, +0.8857]; spearman_B~C +0.4286 [-0.0286, +0.6571]; '
                                             'overlap_AB 0.6667; overlap_AC 0.6667; overlap_BC 1; set_A '
                                             '1-2-4; set_B 1-2-3; set_C 1-2-3; seeds 3',
 'test_cross_claims[tiny-tiny-llama-64-adamw]': 'measured: A~B +, A~C +, B~C + (paper: A~B -, A~C +, B~C -); '
                                                'spearman_A~B +1.0000 [+0.9429, +1.0000]; spearman_A~C '
                                                '+0.9429 [+0.9429, +1.0000]; spearman_B~C +0.9429 [+0.9429, '
                                                '+1.0000]; overlap_AB 0.6667; overlap_AC 1; overlap_BC '
                                                '0.6667; set_A 1-2-6; set_B 1-2-3; set_C 1-2-6; seeds 3',
 'test_cross_claims[tiny-tiny-llama-64-sgd]': 'measured: A~B +, A~C +, B~C + (paper: A~B -, A~C +, B~C -); '
                                              'spearman_A~B +0.8857 [+0.8857, +0.9429]; spearman_A~C +0.9429 '
                                              '[+0.8857, +0.9429]; spearman_B~C +0.9429 [+0.9429, +1.0000]; '
                                              'overlap_AB 0.6667; overlap_AC 1; overlap_BC 0.6667; set_A '
                                              '1-2-6; set_B 1-2-3; set_C 1-2-6; seeds 3',
 'test_equal_step[tiny-tiny-bert-64-cls-adamw]': 'measured: control inert (paper: retained); '
                                                 'control_strength 0.0214; r_spread 0.07619; '
                                                 'controlled_slope +0.0074 [+0.0031, +0.0097]; '
                                                 'controlled_excess +0.0073 [+0.0031, +0.0097]; '
                                                 'control_minus_standard -0.0001 [-0.0002, +0.0000]; '
                                                 'final_loss_std 1.612; final_loss_ctrl 1.612; seeds 3',
 'test_equal_step[tiny-tiny-bert-64-cls-sgd]': 'measured: collapsed (paper: retained); control_strength '
                                               '0.1185; r_spread 0.4087; controlled_slope +0.0000 [+0.0000, '
                                               '+0.0001]; controlled_excess +0.0000 [+0.0000, +0.0001]; '
                                               'control_minus_standard +0.0000 [+0.0000, +0.0000]; '
                                               'final_loss_std 1.618; final_loss_ctrl 1.618; seeds 3',
 'test_equal_step[tiny-tiny-bert-64-mlm-adamw]': 'measured: control inert (paper: retained); '
                                                 'control_strength 0.0143; r_spread 0.05525; '
                                                 'controlled_slope +0.0200 [+0.0185, +0.0226]; '
                                                 'controlled_excess +0.0197 [+0.0181, +0.0223]; '
                                                 'control_minus_standard +0.0001 [-0.0000, +0.0003]; '
                                                 'final_loss_std 6.421; final_loss_ctrl 6.421; seeds 3',
 'test_equal_step[tiny-tiny-bert-64-mlm-sgd]': 'measured: collapsed (paper: retained); control_strength '
                                               '0.1709; r_spread 0.6828; controlled_slope -0.0007 [-0.0045, '
                                               '+0.0051]; controlled_excess -0.0008 [-0.0045, +0.0051]; '
                                               'control_minus_standard +0.0055 [+0.0025, +0.0082]; '
                                               'final_loss_std 6.456; final_loss_ctrl 6.455; seeds 3',
 'test_equal_step[tiny-tiny-codegen-64-clm-adamw]': 'measured: control inert (paper: retained); '
                                                    'control_strength 0.07664; r_spread 0.2995; '
                                                    'controlled_slope +0.0130 [+0.0124, +0.0137]; '
                                                    'controlled_excess +0.0130 [+0.0124, +0.0136]; '
                                                    'control_minus_standard -0.0008 [-0.0008, -0.0007]; '
                                                    'final_loss_std 5.711; final_loss_ctrl 5.71; seeds 3',
 'test_equal_step[tiny-tiny-codegen-64-cls-adamw]': 'measured: control inert (paper: collapsed); '
                                                    'control_strength 0.07008; r_spread 0.2684; '
                                                    'controlled_slope +0.0428 [+0.0371, +0.0482]; '
                                                    'controlled_excess +0.0429 [+0.0371, +0.0482]; '
                                                    'control_minus_standard +0.0043 [+0.0030, +0.0063]; '
                                                    'final_loss_std 1.592; final_loss_ctrl 1.593; seeds 3',
 'test_equal_step[tiny-tiny-codegen-64-cls-sgd]': 'measured: retained (paper: collapsed); control_strength '
                                                  '0.3424; r_spread 1.179; controlled_slope +0.0017 '
                                                  '[+0.0002, +0.0026]; controlled_excess +0.0017 [+0.0002, '
                                                  '+0.0026]; control_minus_standard -0.0001 [-0.0002, '
                                                  '-0.0001]; final_loss_std 1.645; final_loss_ctrl 1.644; '
                                                  'seeds 3',
 'test_equal_step[tiny-tiny-gpt2-64-clm-adamw]': 'measured: control inert (paper: retained); '
                                                 'control_strength 0.04201; r_spread 0.1612; '
                                                 'controlled_slope +0.0237 [+0.0186, +0.0327]; '
                                                 'controlled_excess +0.0235 [+0.0184, +0.0325]; '
                                                 'control_minus_standard -0.0005 [-0.0006, -0.0004]; '
                                                 'final_loss_std 5.875; final_loss_ctrl 5.875; seeds 3',
 'test_equal_step[tiny-tiny-gpt2-64-clm-sgd]': 'measured: collapsed (paper: retained); control_strength '
                                               '0.6963; r_spread 2.841; controlled_slope +0.0172 [+0.0130, '
                                               '+0.0231]; controlled_excess +0.0172 [+0.0130, +0.0230]; '
                                               'control_minus_standard +0.0053 [+0.0036, +0.0066]; '
                                               'final_loss_std 5.873; final_loss_ctrl 5.849; seeds 3',
 'test_equal_step[tiny-tiny-gpt2-64-cls-adamw]': 'measured: control inert (paper: retained); '
                                                 'control_strength 0.05539; r_spread 0.187; controlled_slope '
                                                 '+0.1388 [+0.0826, +0.2011]; controlled_excess +0.1385 '
                                                 '[+0.0822, +0.2008]; control_minus_standard +0.0005 '
                                                 '[-0.0044, +0.0063]; final_loss_std 1.581; final_loss_ctrl '
                                                 '1.581; seeds 3',
 'test_equal_step[tiny-tiny-gptj-64-clm-adamw]': 'measured: control inert (paper: retained); '
                                                 'control_strength 0.08327; r_spread 0.3074; '
                                                 'controlled_slope +0.0156 [+0.0152, +0.0160]; '
                                                 'controlled_excess +0.0156 [+0.0152, +0.0160]; '
                                                 'control_minus_standard -0.0007 [-0.0009, -0.0005]; '
                                                 'final_loss_std 5.72; final_loss_ctrl 5.719; seeds 3',
 'test_equal_step[tiny-tiny-gptj-64-cls-adamw]': 'measured: control inert (paper: collapsed); '
                                                 'control_strength 0.07777; r_spread 0.2989; '
                                                 'controlled_slope +0.0444 [+0.0386, +0.0534]; '
                                                 'controlled_excess +0.0444 [+0.0386, +0.0533]; '
                                                 'control_minus_standard +0.0040 [+0.0024, +0.0071]; '
                                                 'final_loss_std 1.589; final_loss_ctrl 1.592; seeds 3',
 'test_equal_step[tiny-tiny-gptj-64-cls-sgd]': 'measured: retained (paper: collapsed); control_strength '
                                               '0.3191; r_spread 1.153; controlled_slope +0.0016 [+0.0009, '
                                               '+0.0029]; controlled_excess +0.0016 [+0.0009, +0.0029]; '
                                               'control_minus_standard -0.0002 [-0.0003, -0.0001]; '
                                               'final_loss_std 1.645; final_loss_ctrl 1.643; seeds 3',
 'test_equal_step[tiny-tiny-llama-64-clm-adamw]': 'measured: control inert (paper: retained); '
                                                  'control_strength 0.04827; r_spread 0.1609; '
                                                  'controlled_slope +0.0189 [+0.0178, +0.0201]; '
                                                  'controlled_excess +0.0189 [+0.0179, +0.0202]; '
                                                  'control_minus_standard -0.0004 [-0.0005, -0.0003]; '
                                                  'final_loss_std 5.74; final_loss_ctrl 5.74; seeds 3',
 'test_equal_step[tiny-tiny-llama-64-cls-adamw]': 'measured: control inert (paper: retained); '
                                                  'control_strength 0.05844; r_spread 0.2236; '
                                                  'controlled_slope +0.0889 [+0.0797, +0.0988]; '
                                                  'controlled_excess +0.0889 [+0.0797, +0.0988]; '
                                                  'control_minus_standard +0.0005 [-0.0015, +0.0039]; '
                                                  'final_loss_std 1.567; final_loss_ctrl 1.567; seeds 3',
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
 'test_equal_step[tiny-tiny-neox-64-cls-sgd]': 'measured: retained (paper: collapsed); control_strength '
                                               '0.3238; r_spread 1.27; controlled_slope +0.0002 [+0.0001, '
                                               '+0.0003]; controlled_excess +0.0002 [+0.0001, +0.0003]; '
                                               'control_minus_standard -0.0000 [-0.0001, +0.0000]; '
                                               'final_loss_std 1.704; final_loss_ctrl 1.704; seeds 3',
 'test_equal_step[tiny-tiny-opt-64-clm-adamw]': 'measured: control inert (paper: retained); control_strength '
                                                '0.03805; r_spread 0.1367; controlled_slope +0.0166 '
                                                '[+0.0117, +0.0203]; controlled_excess +0.0166 [+0.0117, '
                                                '+0.0202]; control_minus_standard -0.0006 [-0.0007, '
                                                '-0.0005]; final_loss_std 5.84; final_loss_ctrl 5.84; seeds '
                                                '3',
 'test_equal_step[tiny-tiny-opt-64-cls-adamw]': 'measured: control inert (paper: retained); control_strength '
                                                '0.09375; r_spread 0.378; controlled_slope +0.0982 [+0.0556, '
                                                '+0.1326]; controlled_excess +0.0981 [+0.0554, +0.1326]; '
                                                'control_minus_standard -0.0025 [-0.0093, +0.0031]; '
                                                'final_loss_std 1.58; final_loss_ctrl 1.58; seeds 3',
 'test_layer_diagnostics[tiny-tiny-gpt2-64]': 'measured: LS shallow, TP not deep (paper: reproduced); '
                                              'ls_first_minus_second_half +0.0002 [+0.0001, +0.0003]; '
                                              'ls_slope -0.0004 [-0.0006, -0.0002]; ls [0.000775 3.5e-05 '
                                              '3.69e-05 2.5e-05 2.83e-05 0.000194]; tp [0.085 0.099 0.119 '
                                              '0.125 0.116 0.131]; tp_onset_depth 0.4; eps 0.05; seeds 3',
 'test_layer_diagnostics[tiny-tiny-llama-64]': 'measured: LS shallow, TP not deep (paper: reproduced); '
                                               'ls_first_minus_second_half +0.0003 [+0.0002, +0.0003]; '
                                               'ls_slope -0.0005 [-0.0006, -0.0004]; ls [0.000979 0.00012 '
                                               '4.21e-05 4e-05 2.77e-05 0.000321]; tp [0.083 0.110 0.123 '
                                               '0.139 0.144 0.163]; tp_onset_depth 0.4; eps 0.05; seeds 3',
 'test_semantic_freezing[tiny-tiny-gpt2-64]': 'measured: not within margin, not better than random (paper: '
                                              'reproduced); selected 1-2-3; excess_frac_of_full_gain +0.8554 '
                                              '[+0.8499, +0.8611]; margin_frac 0.1; selected_minus_random '
                                              '+0.0031 [+0.0005, +0.0075]; selected_minus_first_k_frozen '
                                              '+0.0060 [+0.0052, +0.0075]; heldout_full 5.808; '
                                              'heldout_selected 5.925; trainable_frac 0.2648; '
                                              'backward_time_ratio 0.7542; seeds 3',
 'test_semantic_freezing[tiny-tiny-llama-64]': 'measured: not within margin, not better than random (paper: '
                                               'reproduced); selected 1-2-6; excess_frac_of_full_gain '
                                               '+0.6473 [+0.6425, +0.6516]; margin_frac 0.1; '
                                               'selected_minus_random -0.0089 [-0.0142, +0.0000]; '
                                               'selected_minus_first_k_frozen -0.0128 [-0.0148, -0.0112]; '
                                               'heldout_full 5.601; heldout_selected 5.699; trainable_frac '
                                               '0.2647; backward_time_ratio 0.4012; seeds 3',
 'test_steepness_tracks_distance[tiny-minilm]': 'measured: inconclusive (paper: reproduced); spearman '
                                                '+0.7714 [-0.0909, +1.0000]; points 6; objectives cls,mlm',
 'test_steepness_tracks_distance[tiny-tiny-codegen-64]': 'measured: inconclusive (paper: reproduced); '
                                                         'spearman -0.7590 [-1.0000, +0.0000]; points 6; '
                                                         'objectives clm,cls',
 'test_steepness_tracks_distance[tiny-tiny-gpt2-64]': 'measured: reversed (paper: reproduced); spearman '
                                                      '-0.9411 [-1.0000, -0.6742]; points 6; objectives '
                                                      'clm,cls',
 'test_steepness_tracks_distance[tiny-tiny-gptj-64]': 'measured: inconclusive (paper: reproduced); spearman '
                                                      '-0.7590 [-1.0000, +0.0000]; points 6; objectives '
                                                      'clm,cls',
 'test_steepness_tracks_distance[tiny-tiny-llama-64]': 'measured: reversed (paper: reproduced); spearman '
                                                       '-0.8804 [-1.0000, -0.1950]; points 6; objectives '
                                                       'clm,cls',
 'test_steepness_tracks_distance[tiny-tiny-mamba2-64]': 'measured: inconclusive (paper: reproduced); '
                                                        'spearman +0.5161 [-0.8944, +0.9487]; points 6; '
                                                        'objectives clm,cls',
 'test_steepness_tracks_distance[tiny-tiny-neox-64]': 'measured: reversed (paper: reproduced); spearman '
                                                      '-0.9411 [-1.0000, -0.6742]; points 6; objectives '
                                                      'clm,cls',
 'test_steepness_tracks_distance[tiny-tiny-opt-64]': 'measured: reversed (paper: reproduced); spearman '
                                                     '-0.9411 [-1.0000, -0.6742]; points 6; objectives '
                                                     'clm,cls',
 'test_steepness_tracks_distance[tiny-tiny-rwkv-64]': 'measured: inconclusive (paper: reproduced); spearman '
                                                      '-0.7590 [-1.0000, +0.0000]; points 6; objectives '
                                                      'clm,cls',
 'test_train_shallow_freeze_deep[tiny-tiny-gpt2-64]': 'measured: ranking full < second_half < first_half '
                                                      '(paper: train first half best); first_minus_full '
                                                      '+0.1169 [+0.1122, +0.1220]; first_minus_second '
                                                      '+0.0060 [+0.0052, +0.0075]; heldout_full 5.808; '
                                                      'heldout_first_half 5.925; heldout_second_half 5.919; '
                                                      'heldout_before 5.945; forgetting_full 0.1517; '
                                                      'forgetting_first_half 0.0507; forgetting_second_half '
                                                      '0.03829; seeds 3',
 'test_train_shallow_freeze_deep[tiny-tiny-llama-64]': 'measured: ranking full < first_half < second_half '
                                                       '(paper: train first half best); first_minus_full '
                                                       '+0.1018 [+0.0992, +0.1054]; first_minus_second '
                                                       '-0.0094 [-0.0137, -0.0063]; heldout_full 5.601; '
                                                       'heldout_first_half 5.703; heldout_second_half 5.712; '
                                                       'heldout_before 5.753; forgetting_full 0.1479; '
                                                       'forgetting_first_half 0.03111; '
                                                       'forgetting_second_half 0.0229; seeds 3'}
